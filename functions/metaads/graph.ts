/**
 * The Graph API as Meta speaks it (external_apis.md §3, §10): request URLs, errors keyed on
 * `error.code` inside a (usually HTTP 400) body, the usage headers, and cursor paging through
 * `paging.next`. The token travels in the Authorization header, never in a URL: Meta echoes a query
 * `access_token` into every `paging.next`, so next links are stripped of it before they are followed
 * and nothing that carries a URL (logs, landed files) can hold the token.
 */
import type { Context } from '../../lib/context.ts'
import { parseJsonKeepingIds } from '../../lib/json-ids.ts'
import { UpstreamError } from '../../lib/upstream/client.ts'
import { classifyGraphError } from '../../lib/upstream/graph-errors.ts'
import { GraphPage } from './payloads.ts'

export const FIELDS = {
  campaigns: 'id,name,status,objective,effective_status,start_time,stop_time,created_time,updated_time,daily_budget,lifetime_budget',
  adsets:
    'id,name,status,effective_status,campaign_id,daily_budget,lifetime_budget,bid_strategy,optimization_goal,start_time,end_time,created_time,updated_time',
  ads: 'id,name,status,effective_status,adset_id,campaign_id,created_time,updated_time',
  insights: 'campaign_id,campaign_name,spend,impressions,reach,clicks,cpc,cpm,ctr,frequency,actions,date_start,date_stop',
} as const

/** `act_123` or `123` → `act_123`. */
export function adAccount(id: string): string {
  return id.startsWith('act_') ? id : `act_${id}`
}

export function listUrl(base: string, version: string, account: string, edge: 'campaigns' | 'adsets' | 'ads'): string {
  const q = new URLSearchParams({ fields: FIELDS[edge], limit: '500' })
  return `${base}/${version}/${adAccount(account)}/${edge}?${q}`
}

/** The ad accounts the token's user (or system user) can read. */
export function adAccountsUrl(base: string, version: string): string {
  return `${base}/${version}/me/adaccounts?${new URLSearchParams({ fields: 'id,account_id,name', limit: '500' })}`
}

/** Daily campaign insights for [since, until]: one row per campaign and day with delivery. */
export function insightsUrl(base: string, version: string, account: string, since: string, until: string): string {
  const q = new URLSearchParams({
    level: 'campaign',
    time_increment: '1',
    time_range: JSON.stringify({ since, until }),
    fields: FIELDS.insights,
    limit: '500',
  })
  return `${base}/${version}/${adAccount(account)}/insights?${q}`
}

/** A next link without any `access_token` Meta put into it. */
export function withoutToken(url: string): string {
  const u = new URL(url)
  u.searchParams.delete('access_token')
  return u.toString()
}

/** How graphError words Meta's "Please reduce the amount of data you're asking for" (code 1, HTTP 500). */
export const TOO_MUCH = 'Meta asks for less data per request'

/**
 * Meta's verdict on an error answer, from its body: the shared Graph reading (lib/upstream/graph-errors.ts:
 * 190/102 needs_auth, throttle codes wait as the usage headers say, transient codes retry), plus two
 * Marketing API cases: "reduce the amount of data" is not retried as it is (the caller asks for less),
 * and a retired version (2635) says which setting to change.
 */
export function graphError(res: Response, body: string): UpstreamError | null {
  const e = classifyGraphError(res.status, body, res)
  if (!e) return null
  let code: unknown
  try {
    code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code
  } catch {
    code = undefined
  }
  if (Number(code) === 1 && /reduce the amount of data/i.test(e.message)) return new UpstreamError('bad_request', `${TOO_MUCH} (${e.message})`, res.status)
  if (Number(code) === 2635) return new UpstreamError('bad_request', `${e.message} — set META_GRAPH_VERSION to a current version`, res.status)
  return e
}

export interface Usage {
  /** The highest utilisation any usage header reports, in percent (0 when none is sent). */
  pct: number
  /** Meta's `estimated_time_to_regain_access` (minutes) as milliseconds, when it asks for a wait. */
  regainMs?: number
}

function json(text: string | null): unknown {
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)

/** Reads X-Business-Use-Case-Usage (keyed by business or account id), X-App-Usage and X-Ad-Account-Usage. */
export function usage(headers: Headers): Usage {
  let pct = 0
  let regainMin = 0
  const buc = json(headers.get('x-business-use-case-usage'))
  if (buc && typeof buc === 'object') {
    for (const entries of Object.values(buc as Record<string, unknown>)) {
      for (const u of Array.isArray(entries) ? (entries as Record<string, unknown>[]) : []) {
        pct = Math.max(pct, num(u.call_count), num(u.total_cputime), num(u.total_time))
        regainMin = Math.max(regainMin, num(u.estimated_time_to_regain_access))
      }
    }
  }
  const app = json(headers.get('x-app-usage')) as Record<string, unknown> | null
  if (app) pct = Math.max(pct, num(app.call_count), num(app.total_cputime), num(app.total_time))
  const account = json(headers.get('x-ad-account-usage')) as Record<string, unknown> | null
  if (account) {
    pct = Math.max(pct, num(account.acc_id_util_pct))
    // reset_time_duration is in seconds.
    if (num(account.reset_time_duration) > 0 && pct >= 100) regainMin = Math.max(regainMin, num(account.reset_time_duration) / 60)
  }
  return { pct, ...(regainMin > 0 ? { regainMs: Math.ceil(regainMin * 60_000) } : {}) }
}

export interface PagingOptions {
  token: string
  /** Pause after a response reporting ≥ 90 % usage (a quarter of it from 75 %). */
  paceMs: number
  maxPages?: number
}

/** Every row of a Graph list, following `paging.next` until it is absent. */
export async function fetchAllPages(ctx: Context, first: string, opts: PagingOptions): Promise<{ rows: unknown[]; pages: number }> {
  const origin = new URL(first).origin
  const rows: unknown[] = []
  let url: string | undefined = first
  let pages = 0
  while (url) {
    if (++pages > (opts.maxPages ?? 10_000)) throw new UpstreamError('drift', `more than ${opts.maxPages ?? 10_000} pages from ${new URL(first).pathname}`)
    const res = await ctx.upstream.request(url, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${opts.token}` },
      classifyError: (_status, body, res) => graphError(res, body),
    })
    const body = await res.text()
    let doc: unknown
    try {
      doc = parseJsonKeepingIds(body)
    } catch {
      throw new UpstreamError('drift', `malformed JSON from ${new URL(url).pathname} (${body.length} bytes)`)
    }
    const page = GraphPage.safeParse(doc)
    if (!page.success) throw new UpstreamError('drift', `unexpected payload from ${new URL(url).pathname}: no \`data\` list`)
    rows.push(...page.data.data)
    const next = page.data.paging?.next
    // The bearer token goes nowhere but the configured Graph host.
    if (next && new URL(next).origin !== origin) throw new UpstreamError('drift', `paging.next points away from ${origin}`)
    url = next ? withoutToken(next) : undefined
    const { pct } = usage(res.headers)
    const pause = pct >= 90 ? opts.paceMs : pct >= 75 ? opts.paceMs / 4 : 0
    if (url && pause > 0) {
      ctx.log.info({ source: 'metaads', usagePct: pct, pauseMs: pause }, 'Meta usage high: pacing')
      await new Promise((r) => setTimeout(r, pause))
    }
  }
  return { rows, pages }
}
