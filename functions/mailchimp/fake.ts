/**
 * @module Fake Mailchimp Marketing API v3 (external_apis.md §8, §10.5): HTTP Basic with the API key,
 * problem+json errors (401 API Key Invalid), `count`/`offset` paging with `total_items`, `fields` partial
 * responses (without them the payloads carry addresses: list contacts, campaign reply-to), list activity
 * most recent first, at most 10 simultaneous connections (429 TooManyRequests, no Retry-After), and a
 * members endpoint full of addresses that an aggregate-only client never calls.
 */
import { randomBytes } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { CredentialStore } from '../../lib/credentials/store.ts'
import { answerQueue } from '../../lib/fakes/queue.ts'
import type { DemoFake } from '../../lib/source.ts'

export { serveFake } from '../../lib/fakes/serve.ts'

export interface FakeList {
  id: string
  name: string
  members: number
  /** Addresses the members endpoint (and unfiltered payloads) would reveal. */
  addresses: string[]
  activity: { day: string; subs: number; unsubs: number; emails_sent: number }[]
}
export interface FakeCampaign {
  id: string
  list_id: string
  send_time: string
  emails_sent: number
  opens_total: number
  unique_opens: number
  clicks_total: number
  unique_clicks: number
}

export const problem = (c: Context, status: number, title: string, detail: string) =>
  c.body(
    JSON.stringify({ type: 'https://mailchimp.com/developer/marketing/docs/errors/', title, status, detail, instance: randomBytes(8).toString('hex') }),
    status as 400,
    { 'Content-Type': 'application/problem+json; charset=utf-8' },
  )

/** `fields=a.b,a.c` applied to a payload: only those dotted paths are kept. */
function pick(value: unknown, fields: string[][]): unknown {
  if (!fields.length) return value
  if (Array.isArray(value)) return value.map((v) => pick(v, fields))
  if (!value || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    const deeper = fields.filter((f) => f[0] === k)
    if (!deeper.length) continue
    out[k] = deeper.some((f) => f.length === 1)
      ? v
      : pick(
          v,
          deeper.map((f) => f.slice(1)),
        )
  }
  return out
}

export function createFakeMailchimp(opts: { lists: FakeList[]; campaigns: FakeCampaign[]; dc?: string }) {
  const queue = answerQueue()
  const dc = opts.dc ?? 'us6'
  const keys = new Set<string>()
  let inFlight = 0
  let peak = 0

  const app = new Hono()
  app.use('*', queue.middleware)
  app.use('/3.0/*', async (c, next) => {
    const basic = /^Basic (.+)$/.exec(c.req.header('authorization') ?? '')?.[1]
    const key = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : ''
    if (!key) return problem(c, 401, 'API Key Missing', 'Your request did not include an API key.')
    if (!keys.has(key)) return problem(c, 401, 'API Key Invalid', "Your API key may be invalid, or you've attempted to access the wrong datacenter.")
    if (inFlight >= 10) return problem(c, 429, 'Too Many Requests', 'You have exceeded the limit of 10 simultaneous connections.')
    inFlight++
    peak = Math.max(peak, inFlight)
    try {
      await next()
    } finally {
      inFlight--
    }
  })
  const respond = (c: Context, payload: Record<string, unknown>) => {
    const fields = (c.req.query('fields') ?? '')
      .split(',')
      .filter(Boolean)
      .map((f) => f.split('.'))
    return c.json(pick(payload, fields) as Record<string, unknown>)
  }
  const page = <T>(c: Context, items: T[]) => {
    const count = Math.min(1000, Number(c.req.query('count') ?? 10))
    const offset = Number(c.req.query('offset') ?? 0)
    return items.slice(offset, offset + count)
  }

  app.get('/3.0/ping', (c) => c.json({ health_status: "Everything's Chimpy!" }))
  app.get('/3.0/lists', (c) =>
    respond(c, {
      lists: page(c, opts.lists).map((l) => ({
        id: l.id,
        name: l.name,
        contact: { company: 'BEDROT', address1: '1 Fake St' },
        campaign_defaults: { from_name: 'BEDROT', from_email: l.addresses[0] ?? 'label@example.test' },
        stats: { member_count: l.members, unsubscribe_count: l.activity.reduce((s, a) => s + a.unsubs, 0), cleaned_count: 0 },
      })),
      total_items: opts.lists.length,
    }),
  )
  app.get('/3.0/lists/:id/activity', (c) => {
    const list = opts.lists.find((l) => l.id === c.req.param('id'))
    if (!list) return problem(c, 404, 'Resource Not Found', 'The requested resource could not be found.')
    const days = [...list.activity].sort((a, b) => b.day.localeCompare(a.day)).slice(0, Math.min(180, Number(c.req.query('count') ?? 180)))
    return respond(c, {
      activity: days.map((a) => ({ ...a, unique_opens: 0, recipient_clicks: 0, hard_bounce: 0, soft_bounce: 0, other_adds: 0, other_removes: 0 })),
      list_id: list.id,
      total_items: days.length,
    })
  })
  app.get('/3.0/lists/:id/members', (c) => {
    const list = opts.lists.find((l) => l.id === c.req.param('id'))
    return respond(c, {
      members: (list?.addresses ?? []).map((email_address, i) => ({ id: String(i), email_address, status: 'subscribed' })),
      total_items: list?.addresses.length ?? 0,
    })
  })
  app.get('/3.0/reports', (c) => {
    const since = c.req.query('since_send_time') ?? ''
    const all = opts.campaigns.filter((r) => r.send_time >= since).sort((a, b) => b.send_time.localeCompare(a.send_time))
    const list = (id: string) => opts.lists.find((l) => l.id === id)
    return respond(c, {
      reports: page(c, all).map((r) => ({
        id: r.id,
        list_id: r.list_id,
        list_name: list(r.list_id)?.name,
        reply_to: list(r.list_id)?.addresses[0],
        send_time: r.send_time,
        emails_sent: r.emails_sent,
        opens: { opens_total: r.opens_total, unique_opens: r.unique_opens, open_rate: r.emails_sent ? r.unique_opens / r.emails_sent : 0 },
        clicks: { clicks_total: r.clicks_total, unique_clicks: r.unique_clicks, click_rate: r.emails_sent ? r.unique_clicks / r.emails_sent : 0 },
      })),
      total_items: all.length,
    })
  })

  return {
    app,
    queue,
    /** An API key of this fake's data centre. */
    issueKey() {
      const key = `fakemailchimpkey${randomBytes(8).toString('hex')}-${dc}`
      keys.add(key)
      return key
    },
    revoke: (key: string) => void keys.delete(key),
    peakConnections: () => peak,
  }
}
export type FakeMailchimp = ReturnType<typeof createFakeMailchimp>

const DAY = 86_400_000
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10)

/** A label-sized audience: one list, a year of activity ending `to`, a campaign a fortnight. */
export function mailchimpYear(to: string, addresses: string[] = ['fan.one@example.test', 'fan.two@example.test']) {
  const activity = Array.from({ length: 180 }, (_, k) => ({
    day: addDays(to, -k),
    subs: (k * 7) % 5,
    unsubs: k % 9 === 0 ? 1 : 0,
    emails_sent: k % 14 === 3 ? 640 : 0,
  }))
  const lists: FakeList[] = [{ id: 'a1b2c3d4e5', name: 'BEDROT fans', members: 640, addresses, activity }]
  const campaigns: FakeCampaign[] = Array.from({ length: 24 }, (_, i) => ({
    id: `fakecamp${String(i).padStart(3, '0')}`,
    list_id: 'a1b2c3d4e5',
    send_time: `${addDays(to, -(i * 14 + 3))}T16:00:00+00:00`,
    emails_sent: 600 + i,
    opens_total: 310 + (i % 7) * 9,
    unique_opens: 240 + (i % 5) * 7,
    clicks_total: 40 + (i % 4) * 3,
    unique_clicks: 31 + (i % 3) * 2,
  }))
  return { lists, campaigns }
}

export const demo: DemoFake = {
  create(today) {
    const fake = createFakeMailchimp(mailchimpYear(today))
    return {
      app: fake.app,
      env: (url) => ({ MAILCHIMP_BASE_URL: `${url}/3.0` }),
      async logIn(sessionsDir: string) {
        await new CredentialStore(sessionsDir).save('mailchimp', 'default', { token: fake.issueKey() })
      },
    }
  },
}
