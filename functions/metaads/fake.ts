/**
 * A local imitation of the Meta Marketing API (external_apis.md §3, §10.5), as unkind as the real one:
 * tokens expire on the fake's own clock (code 190/463; unknown tokens 190), every response carries the
 * usage headers and an hourly call quota throttles with code 80000 and a regain time, retired Graph
 * versions answer 2635, numbers are strings, days without delivery are absent, lists page through
 * `paging.next` (which echoes the token, as Meta does) with an optional empty middle page. Tests can
 * queue one-off failures: throttling (17, 80000), an expired token, a transient error, a malformed body,
 * a stalled response.
 */
import { randomBytes } from 'node:crypto'
import { Hono, type Context as HonoContext } from 'hono'
import { CredentialStore } from '../../lib/credentials/store.ts'
import type { DemoFake } from '../../lib/source.ts'
import { addDays, type DayMetrics, demoCampaigns, type FakeCampaign, spendText } from './fake-data.ts'
import { decodeCursor, ERRORS, page, usageHeaders } from './fake-graph.ts'

export type FakeFailure = 'throttle17' | 'throttle80000' | 'expired' | 'transient' | 'malformed' | 'stall'

export interface FakeMetaOptions {
  campaigns: FakeCampaign[]
  /** The ad account's digits (requests address `act_<digits>`). */
  account: string
  /** Oldest Graph version still served; older ones answer code 2635. */
  minVersion?: number
  pageSize?: number
  emptyPage?: boolean
  /** Calls per rolling hour before code 80000. */
  quotaPerHour?: number
  /** Minutes Meta asks to wait after code 80000 from the queue. */
  regainMinutes?: number
  /** Insights ranges longer than this many days answer code 1 "reduce the amount of data" (HTTP 500). */
  maxInsightDays?: number
  /** How long a queued stall holds its response (ms). */
  stallMs?: number
  /** The fake's clock (ms). */
  now?: () => number
}

const HOUR = 3_600_000

export function createFakeMeta(opts: FakeMetaOptions) {
  const now = opts.now ?? (() => Date.now())
  const size = opts.pageSize ?? 25
  const quota = opts.quotaPerHour ?? 200
  const tokens = new Map<string, number>()
  const calls: number[] = []
  const failures: FakeFailure[] = []
  const log: string[] = []
  const app = new Hono()

  const today = () => new Date(now()).toISOString().slice(0, 10)

  app.get('/:version/:node/:edge', async (c) => {
    const url = new URL(c.req.url)
    log.push(`${c.req.param('edge')}${url.searchParams.get('time_range') ? ` ${url.searchParams.get('time_range')}` : ''}`)
    const t = now()
    while (calls.length && calls[0] <= t - HOUR) calls.shift()
    calls.push(t)
    const throttled = calls.length > quota
    const usage = { pct: (calls.length / quota) * 100, regainMinutes: throttled ? Math.ceil((calls[0] + HOUR - t) / 60_000) : 0 }
    const send = (body: unknown, status: 200 | 400 | 500 = 200, u = usage) => c.json(body, status, usageHeaders(opts.account, u))

    const v = /^v(\d+)\.0$/.exec(c.req.param('version'))
    if (!v) return send(ERRORS.badParam(`Unknown path components: /${c.req.param('version')}`), 400)
    if (Number(v[1]) < (opts.minVersion ?? 21)) return send(ERRORS.deprecated(`v${opts.minVersion ?? 21}.0`), 400)

    const token = tokenOf(c)
    if (!token || !tokens.has(token)) return send(ERRORS.invalidToken(), 400)
    const failure = failures.shift()
    if (failure === 'expired' || tokens.get(token)! <= t) {
      tokens.set(token, Math.min(tokens.get(token)!, t))
      return send(ERRORS.expiredToken(new Date(tokens.get(token)!)), 400)
    }
    if (failure === 'throttle17') return send(ERRORS.userLimit(), 400, { pct: 100, regainMinutes: 0 })
    if (failure === 'throttle80000') return send(ERRORS.insightsLimit(), 400, { pct: 100, regainMinutes: opts.regainMinutes ?? 5 })
    if (failure === 'transient') return send(ERRORS.transient(), 500)
    // A connection that hangs: the answer comes long after any sane client timeout.
    if (failure === 'stall') await new Promise((r) => setTimeout(r, opts.stallMs ?? 120_000))
    if (throttled) return send(ERRORS.insightsLimit(), 400)
    const node = c.req.param('node')
    if (node !== `act_${opts.account}` && !(node === 'me' && c.req.param('edge') === 'adaccounts')) return send(ERRORS.noObject(node), 400)

    const rows: Record<string, unknown>[] | ReturnType<typeof ERRORS.badParam> =
      node === 'me' ? [{ id: `act_${opts.account}`, account_id: opts.account, name: 'BEDROT-ADS' }] : rowsFor(c.req.param('edge'), url)
    if ('error' in rows) return send(rows, rows.error.code === 1 ? 500 : 400)
    const cursor = decodeCursor(url.searchParams.get('after') ?? undefined)
    if (!cursor) return send(ERRORS.badParam('Invalid cursor'), 400)
    const body = page(rows, url, cursor, Math.min(size, Number(url.searchParams.get('limit') ?? size)), token, opts.emptyPage ?? false)
    // A body cut off mid-way, as a dropped proxy connection leaves it.
    if (failure === 'malformed')
      return c.body(JSON.stringify(body).slice(0, 40), 200, { 'Content-Type': 'application/json', ...usageHeaders(opts.account, usage) })
    return send(body)
  })

  function rowsFor(edge: string, url: URL): Record<string, unknown>[] | ReturnType<typeof ERRORS.badParam> {
    const cs = opts.campaigns
    if (edge === 'campaigns') return cs.map((k) => ({ id: k.id, name: k.name, status: k.status, objective: k.objective, effective_status: k.status }))
    if (edge === 'adsets') {
      return cs.flatMap((k) =>
        k.adsets.map((a) => ({
          id: a.id,
          name: a.name,
          status: a.status,
          campaign_id: k.id,
          ...(a.dailyBudgetCents ? { daily_budget: String(a.dailyBudgetCents), lifetime_budget: '0' } : {}),
        })),
      )
    }
    if (edge === 'ads') return cs.flatMap((k) => k.adsets.flatMap((a) => a.ads.map((ad) => ({ ...ad, adset_id: a.id, campaign_id: k.id }))))
    if (edge !== 'insights') return ERRORS.badParam(`Tried accessing nonexisting field (${edge})`)
    if (url.searchParams.get('level') !== 'campaign' || url.searchParams.get('time_increment') !== '1') {
      return ERRORS.badParam('this fake serves level=campaign with time_increment=1 only')
    }
    let range: { since?: unknown; until?: unknown }
    try {
      range = JSON.parse(url.searchParams.get('time_range') ?? '')
    } catch {
      return ERRORS.badParam('Must be a valid time range')
    }
    const day = /^\d{4}-\d{2}-\d{2}$/
    if (typeof range.since !== 'string' || typeof range.until !== 'string' || !day.test(range.since) || !day.test(range.until) || range.since > range.until) {
      return ERRORS.badParam('Must be a valid time range')
    }
    const span = Math.round((Date.parse(range.until) - Date.parse(range.since)) / 86_400_000) + 1
    if (opts.maxInsightDays && span > opts.maxInsightDays) return ERRORS.tooMuch()
    const out: Record<string, unknown>[] = []
    for (let d = range.since; d <= range.until && d <= today(); d = addDays(d, 1)) {
      for (const k of cs) {
        const m = k.daily.get(d)
        if (m) out.push(insightRow(k, d, m))
      }
    }
    return out
  }

  return {
    app,
    /** Requests seen (edge and time range; never a token). */
    log,
    /** A new token valid for `ttlMs` on the fake's clock; recognisably fake. */
    issueToken(ttlMs = 60 * 86_400_000): string {
      const token = `fake-meta-token-${randomBytes(12).toString('hex')}`
      tokens.set(token, now() + ttlMs)
      return token
    },
    /** Queues one-off failures for the next requests (after the token check). */
    fail(...f: FakeFailure[]) {
      failures.push(...f)
    },
    /** Meta restating a day: new figures, or null when the day turns out to have had no delivery. */
    restate(campaignId: string, date: string, m: DayMetrics | null) {
      const k = opts.campaigns.find((x) => x.id === campaignId)!
      if (m) k.daily.set(date, m)
      else k.daily.delete(date)
    },
  }
}

function tokenOf(c: HonoContext): string | null {
  const auth = c.req.header('authorization')
  if (auth?.startsWith('Bearer ')) return auth.slice(7)
  return new URL(c.req.url).searchParams.get('access_token')
}

function insightRow(k: FakeCampaign, date: string, m: DayMetrics) {
  const usd = m.spendCents / 100
  return {
    campaign_id: k.id,
    campaign_name: k.name,
    spend: spendText(m.spendCents),
    impressions: String(m.impressions),
    reach: String(m.reach),
    clicks: String(m.clicks),
    cpc: m.clicks ? (usd / m.clicks).toFixed(6) : undefined,
    cpm: ((usd / m.impressions) * 1000).toFixed(6),
    ctr: ((m.clicks / m.impressions) * 100).toFixed(6),
    frequency: (m.impressions / m.reach).toFixed(6),
    actions: m.clicks ? [{ action_type: 'link_click', value: String(m.clicks) }] : undefined,
    date_start: date,
    date_stop: date,
  }
}

/** For `npm run demo`: a year of flights for both artists in ad account act_1000000000001, a token stored. */
export const demo: DemoFake = {
  create(today) {
    const fake = createFakeMeta({ campaigns: demoCampaigns(today), account: '1000000000001', pageSize: 50, quotaPerHour: 1000 })
    return {
      app: fake.app,
      async logIn(sessionsDir: string) {
        await new CredentialStore(sessionsDir).save('metaads', 'default', { token: fake.issueToken() })
      },
    }
  },
}
