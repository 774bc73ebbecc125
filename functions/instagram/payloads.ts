/**
 * Instagram insights payloads (external_apis.md §9), and the landing names that carry what a response
 * does not say (the account, and the day a total_value answer covers). A daily value's `end_time` is the
 * end of its Pacific day, so it belongs to the calendar day before it in Pacific time.
 */
import { z } from 'zod'

const count = z.number().int().nonnegative()

export const InsightsPayload = z
  .object({
    data: z.array(
      z
        .object({
          name: z.string(),
          period: z.string(),
          values: z.array(z.object({ value: count, end_time: z.string() })),
        })
        .loose(),
    ),
  })
  .loose()

export const TotalValuePayload = z
  .object({
    data: z.array(z.object({ name: z.string(), total_value: z.object({ value: count }).loose() }).loose()),
  })
  .loose()

/**
 * A total_value answer does not say which day it covers, and two days with the same total have the same
 * bytes (the lake would take the second for a repeat of the first). So each answer lands inside an
 * envelope naming its request; the answer itself stays byte for byte in `body`.
 */
export const ViewsEnvelope = z.object({ account: z.string(), since: z.string(), until: z.string(), body: z.string() })

export const RefreshPayload = z.object({ access_token: z.string().min(8), token_type: z.string().optional(), expires_in: z.number().optional() })

/** `insights--<account>--<from>--<to>.json`: the account URI-encoded, so any name survives. */
export function landingName(kind: 'insights' | 'views', account: string, from: string, to: string): string {
  return `${kind}--${encodeURIComponent(account)}--${from}--${to}.json`
}

const NAME = /(insights|views)--([^/]+?)--(\d{4}-\d{2}-\d{2})--(\d{4}-\d{2}-\d{2})(?:~\d+)?\.json$/

export function parseLandingName(file: string): { kind: 'insights' | 'views'; account: string; from: string; to: string } | null {
  const m = NAME.exec(file)
  return m ? { kind: m[1] as 'insights' | 'views', account: decodeURIComponent(m[2]), from: m[3], to: m[4] } : null
}

const pacificDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' })

/** The Pacific calendar day a value ending at `endTime` covers (`2025-05-02T07:00:00+0000` → 2025-05-01). */
export function dayOf(endTime: string): string | null {
  const t = Date.parse(endTime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  return Number.isNaN(t) ? null : pacificDate.format(new Date(t - 1))
}
