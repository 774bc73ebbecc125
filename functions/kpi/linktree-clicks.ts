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

const sum = <T>(rows: T[], pick: (r: T) => number | null) =>
  rows.some((r) => pick(r) !== null) ? rows.reduce((s, r) => s + (pick(r) ?? 0), 0) : null

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
    const links = await env.db
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
      breakdown: links.map((l) => ({ key: l.link_id, title: l.title, value: Number(l.clicks) })),
    }
  },
})
