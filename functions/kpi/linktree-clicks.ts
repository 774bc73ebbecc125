/** KPI 24: Linktree views, clicks and CTR = clicks / views (a ratio of sums; null when views are 0), and the top links. */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import type { KpiEnv } from '../../lib/kpi/define.ts'
import { dateRangeOf } from '../../lib/kpi/queries.ts'
import { change, previousWindow, ratio } from '../../lib/kpi/stats.ts'
import type { Window } from '../../lib/kpi/window.ts'

const TOP = 10
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))

async function daily({ db }: KpiEnv, w: Window) {
  const rows = await db
    .selectFrom('link_daily')
    .select([
      'date',
      sql<number | null>`sum(views)`.as('views'),
      sql<number | null>`sum(unique_views)`.as('uniqueViews'),
      sql<number | null>`sum(clicks)`.as('clicks'),
      sql<number | null>`sum(unique_clicks)`.as('uniqueClicks'),
    ])
    .where('date', '>=', w.from)
    .where('date', '<=', w.to)
    .groupBy('date')
    .orderBy('date')
    .execute()
  return rows.map((r) => ({
    date: r.date,
    value: num(r.clicks),
    views: num(r.views),
    uniqueViews: num(r.uniqueViews),
    uniqueClicks: num(r.uniqueClicks),
  }))
}

/**
 * Window totals (links, socials, referrers) of the widest window Linktree reported inside `w`, the
 * latest capture of it: totals of different windows overlap and are never added together.
 */
async function windowTotals({ db }: KpiEnv, w: Window) {
  const best = await db
    .selectFrom('link_totals')
    .select(['window_from', 'window_to'])
    .where('window_from', '>=', w.from)
    .where('window_to', '<=', w.to)
    .orderBy(sql`julianday(window_to) - julianday(window_from)`, 'desc')
    .orderBy('window_to', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!best) return { window: null, rows: [] }
  const rows = await db
    .selectFrom('link_totals')
    .select(['kind', 'key', 'title', 'views', 'clicks'])
    .where('window_from', '=', best.window_from)
    .where('window_to', '=', best.window_to)
    .where('kind', 'in', ['link', 'social', 'referrer'])
    .orderBy('clicks', 'desc')
    .orderBy('key')
    .execute()
  return { window: { from: best.window_from, to: best.window_to }, rows: rows.map((r) => ({ ...r, clicks: num(r.clicks), views: num(r.views) })) }
}

/** The newest lifetime snapshot on or before `date` (a level: never summed). */
async function lifetimeAt({ db }: KpiEnv, date: string) {
  const r = await db.selectFrom('link_lifetime').selectAll().where('date', '<=', date).orderBy('date', 'desc').limit(1).executeTakeFirst()
  return r
    ? { date: r.date, views: r.views, clicks: r.clicks, profileClicks: r.profile_clicks, socialClicks: r.social_clicks, subscribers: r.subscribers }
    : null
}

const sum = <T>(rows: T[], pick: (r: T) => number | null) => (rows.some((r) => pick(r) !== null) ? rows.reduce((s, r) => s + (pick(r) ?? 0), 0) : null)

export default defineKpi({
  name: 'linktree-clicks',
  title: 'Linktree clicks',
  unit: 'count',
  description: 'views, clicks, CTR = clicks / views, top links',
  sources: ['linktree'],
  range: dateRangeOf('link_daily'),
  async compute(env, w) {
    const series = await daily(env, w)
    const value = sum(series, (r) => r.value)
    // CTR only over days that report both, so a day with clicks but no views cannot inflate it.
    const paired = series.filter((r) => r.value !== null && r.views !== null)
    const previous = sum(await daily(env, previousWindow(w)), (r) => r.value)
    const totals = await windowTotals(env, w)
    // Without window totals inside the window, top links are summed from daily per-link clicks.
    const perLink = totals.window
      ? null
      : await env.db
          .selectFrom('link_clicks')
          .select(['link_id', sql<string | null>`max(title)`.as('title'), sql<number>`sum(clicks)`.as('clicks')])
          .where('date', '>=', w.from)
          .where('date', '<=', w.to)
          .groupBy('link_id')
          .orderBy('clicks', 'desc')
          .orderBy('link_id')
          .limit(TOP)
          .execute()
    return {
      value,
      previous,
      change: change(value, previous),
      views: sum(series, (r) => r.views),
      ctr: ratio(
        sum(paired, (r) => r.value),
        sum(paired, (r) => r.views),
      ),
      series: series.map((r) => ({ ...r, ctr: ratio(r.value, r.views) })),
      // Link, social and referrer clicks are totals over the window Linktree reported them for.
      linksWindow: totals.window,
      breakdown: perLink
        ? perLink.map((l) => ({ key: l.link_id, title: l.title, value: Number(l.clicks) }))
        : totals.rows
            .filter((r) => r.kind === 'link' || r.kind === 'social')
            .slice(0, TOP)
            .map((r) => ({ key: r.key, title: r.title, kind: r.kind, value: r.clicks })),
      referrers: totals.rows.filter((r) => r.kind === 'referrer').map((r) => ({ key: r.key, views: r.views, clicks: r.clicks })),
      lifetime: await lifetimeAt(env, w.to),
    }
  },
})
