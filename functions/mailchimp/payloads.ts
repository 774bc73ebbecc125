/**
 * Mailchimp payloads (external_apis.md §8) as asked for with `fields` (aggregates only), the problem+json
 * error body, and the address scrubber: whatever a payload carries that looks like an e-mail address is
 * replaced by its SHA-256 before anything is written, so no address reaches the lake in clear.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { UpstreamError } from '../../lib/upstream/client.ts'

const count = z.number().int().nonnegative()

export const ListsPayload = z
  .object({
    lists: z.array(
      z.object({ id: z.string(), name: z.string().optional(), stats: z.object({ member_count: count, unsubscribe_count: count.optional() }).loose() }).loose(),
    ),
    total_items: count,
  })
  .loose()

export const ActivityPayload = z
  .object({
    list_id: z.string(),
    activity: z.array(z.object({ day: z.string(), subs: count, unsubs: count }).loose()),
  })
  .loose()

export const ReportsPayload = z
  .object({
    reports: z.array(
      z
        .object({
          id: z.string(),
          list_id: z.string().optional(),
          send_time: z.string().optional(),
          emails_sent: count,
          opens: z.object({ opens_total: count, unique_opens: count }).loose(),
          clicks: z.object({ clicks_total: count, unique_clicks: count }).loose(),
        })
        .loose(),
    ),
    total_items: count,
  })
  .loose()

const Problem = z.object({ title: z.string(), status: z.number(), detail: z.string().optional() }).loose()

/** Mailchimp's own reading of its errors: 401/`User Disabled` need a person, a wrong data centre is configuration. */
export function classifyMailchimpError(status: number, body: string, res: Pick<Response, 'url'>): UpstreamError | null {
  let p
  try {
    p = Problem.safeParse(JSON.parse(body))
  } catch {
    return null
  }
  if (!p.success) return null
  const what = `${p.data.title}: ${p.data.detail ?? ''} (${new URL(res.url || 'http://x/').pathname})`
  if (status === 401 || /user disabled/i.test(p.data.title)) return new UpstreamError('needs_auth', what, status)
  if (status === 429) return new UpstreamError('rate_limited', what, status)
  if (status >= 500) return new UpstreamError('unavailable', what, status)
  return new UpstreamError('bad_request', what, status)
}

const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g

export function hashAddress(address: string): string {
  return `sha256:${createHash('sha256').update(address.trim().toLowerCase()).digest('hex')}`
}

/** The payload with every e-mail address inside any string replaced by its hash. */
export function scrubAddresses<T>(value: T): T {
  if (typeof value === 'string') return value.replace(ADDRESS, (a) => hashAddress(a)) as T
  if (Array.isArray(value)) return value.map(scrubAddresses) as T
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubAddresses(v)])) as T
  return value
}

/** The data centre an API key belongs to (`…-us6` → `us6`), or null when it is not a Mailchimp key. */
export function dataCentre(key: string): string | null {
  return /-([a-z]{2,4}\d{1,3})$/.exec(key)?.[1] ?? null
}
