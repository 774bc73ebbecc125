/**
 * Meta Ads extractor (Marketing API, external_apis.md §3): the ad account's campaigns, ad sets and
 * ads (names, ids, statuses, budgets), then daily campaign insights (`level=campaign`,
 * `time_increment=1`) over a window, in chunks of at most 31 days, each paged through `paging.next`.
 *
 * The window: a requested one (`--from/--to`); else the last 28 days, because Meta restates recent
 * days and each run re-reads them (the cleaner merges on (campaign, date)), reaching further back
 * after missed runs; but until one backfill of `backfillDays` has landed completely, that backfill
 * (one cut short by a failure starts again). Each chunk is landed with the window it asked for, so
 * the cleaner knows that inside it an absent campaign-day had no delivery.
 *
 * The token comes from the credential store (`npm run auth -- metaads`); a refused one (code 190) is
 * needs_auth at once, throttling (codes 4, 17, 32, 613, 80000–80014) waits as the usage headers say
 * and gives up when Meta asks for longer than a run should block.
 */
import type { Context } from '../../lib/context.ts'
import { defineExtractor } from '../../lib/define.ts'
import { UpstreamError } from '../../lib/upstream/client.ts'
import { getState, setState } from '../../lib/warehouse/state.ts'
import { upstreamFailure } from '../../lib/upstream/outcome.ts'
import { adAccountsUrl, fetchAllPages, insightsUrl, listUrl, type PagingOptions, TOO_MUCH } from './graph.ts'
import { metaBaseUrl, metaSettings, type MetaSettings } from './settings.ts'

const DAY = 86_400_000
// Set once a backfill has landed completely: a backfill cut short by a failure is started again.
const BACKFILLED = 'insights_backfilled_since'
const THROUGH = 'insights_read_through'
const CHUNK_DAYS = 31

const isoDay = (d: Date) => d.toISOString().slice(0, 10)
const addDays = (day: string, n: number) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY))

/** [since, until] split into consecutive chunks of at most CHUNK_DAYS days. */
export function chunks(since: string, until: string, size = CHUNK_DAYS): { since: string; until: string }[] {
  const out: { since: string; until: string }[] = []
  for (let s = since; s <= until; s = addDays(s, size)) {
    const e = addDays(s, size - 1)
    out.push({ since: s, until: e < until ? e : until })
  }
  return out
}

/** The days this run reads (see the module comment). */
export async function insightsWindow(ctx: Context, settings: MetaSettings): Promise<{ since: string; until: string; why: string }> {
  const today = isoDay(ctx.now)
  if (ctx.window.from || ctx.window.to) {
    const until = ctx.window.to ?? today
    return { since: ctx.window.from ?? addDays(until, -(settings.restateDays - 1)), until, why: 'requested window' }
  }
  if (!(await getState(ctx.wh.db, 'metaads', BACKFILLED))) {
    return { since: addDays(today, -(settings.backfillDays - 1)), until: today, why: `first run: ${settings.backfillDays}-day backfill` }
  }
  // Runs missed (the machine was off): re-read from before the last day read, not only the last 28.
  const through = await getState(ctx.wh.db, 'metaads', THROUGH)
  const recent = addDays(today, -(settings.restateDays - 1))
  const gap = through ? addDays(through, -(settings.restateDays - 1)) : recent
  const floor = addDays(today, -(settings.backfillDays - 1))
  if (gap < recent)
    return { since: gap < floor ? floor : gap, until: today, why: `since ${through} (last day read) and the ${settings.restateDays} days before it` }
  return { since: recent, until: today, why: `last ${settings.restateDays} days (Meta restates)` }
}

/**
 * Without META_AD_ACCOUNT_ID, the one ad account the token can read; several (or none) is a
 * configuration question for a person, answered as a message naming them.
 */
async function onlyAdAccount(ctx: Context, base: string, v: string, paging: { token: string; paceMs: number }): Promise<{ id: string } | { problem: string }> {
  const { rows } = await fetchAllPages(ctx, adAccountsUrl(base, v), paging)
  const ids = rows.map((r) => (r as { id?: unknown }).id).filter((id): id is string => typeof id === 'string' && /^act_\d+$/.test(id))
  if (ids.length === 1) return { id: ids[0] }
  return {
    problem: ids.length
      ? `the token reads ${ids.length} ad accounts (${ids.join(', ')}): set META_AD_ACCOUNT_ID to one of them`
      : 'the token reads no ad account: set META_AD_ACCOUNT_ID (act_<digits>) or give the token ads_read on one',
  }
}

/** One chunk's daily rows; when Meta asks for less data, the two halves of the range instead, down to one day. */
async function insightsOf(
  ctx: Context,
  url: (since: string, until: string) => string,
  c: { since: string; until: string },
  paging: PagingOptions,
): Promise<unknown[]> {
  try {
    return (await fetchAllPages(ctx, url(c.since, c.until), paging)).rows
  } catch (err) {
    if (!(err instanceof UpstreamError && err.message.startsWith(TOO_MUCH)) || c.since === c.until) throw err
    const days = Math.round((Date.parse(c.until) - Date.parse(c.since)) / DAY) + 1
    const mid = addDays(c.since, Math.ceil(days / 2) - 1)
    ctx.log.info({ source: 'metaads', since: c.since, until: c.until }, 'Meta asked for less data: halving the range')
    return [
      ...(await insightsOf(ctx, url, { since: c.since, until: mid }, paging)),
      ...(await insightsOf(ctx, url, { since: addDays(mid, 1), until: c.until }, paging)),
    ]
  }
}

export default defineExtractor({
  source: 'metaads',
  description: 'Meta Marketing API: campaigns, ad sets, ads and daily campaign insights of the ad account, with the stored token',
  async run(ctx) {
    const settings = metaSettings(ctx)
    const session = await ctx.credentials.load('metaads', 'default')
    if (!session?.token) return upstreamFailure('metaads', new UpstreamError('needs_auth', 'no Meta access token is stored'))
    const base = metaBaseUrl(ctx)
    const paging = { token: session.token, paceMs: settings.paceMs }
    const v = settings.graphVersion
    let filesOut = 0
    let what = 'ad accounts'
    try {
      const found = settings.adAccountId ? { id: settings.adAccountId } : await onlyAdAccount(ctx, base, v, paging)
      if ('problem' in found) return { status: 'failed', severity: 'high', message: found.problem }
      const account = found.id
      const counts: string[] = []
      for (const edge of ['campaigns', 'adsets', 'ads'] as const) {
        what = edge
        const { rows } = await fetchAllPages(ctx, listUrl(base, v, account, edge), paging)
        await ctx.lake.land('metaads', edge, `${edge}.json`, JSON.stringify({ request: { edge, version: v }, data: rows }), ctx.now)
        filesOut++
        counts.push(`${rows.length} ${edge}`)
      }
      const window = await insightsWindow(ctx, settings)
      let days = 0
      for (const c of chunks(window.since, window.until)) {
        what = `insights ${c.since} … ${c.until}`
        const rows = await insightsOf(ctx, (since, until) => insightsUrl(base, v, account, since, until), c, paging)
        const request = { level: 'campaign', time_increment: '1', since: c.since, until: c.until, version: v }
        await ctx.lake.land('metaads', 'insights_daily', `insights_${c.since}_${c.until}.json`, JSON.stringify({ request, data: rows }), ctx.now)
        filesOut++
        days += rows.length
      }
      if (window.why.startsWith('first run')) await setState(ctx.wh.db, 'metaads', BACKFILLED, window.since)
      if (!ctx.window.from && !ctx.window.to) await setState(ctx.wh.db, 'metaads', THROUGH, window.until)
      return {
        status: 'ok',
        filesOut,
        message: `${counts.join(', ')}; ${days} campaign-days for ${window.since} … ${window.until} (${window.why}), Graph ${v}`,
      }
    } catch (err) {
      return upstreamFailure('metaads', err, { filesOut, what: `Meta ${what}` })
    }
  },
})
