/** KPI 23: YouTube views, watch minutes and net subscribers (gained − lost) in the window, per channel and per day. */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import type { KpiEnv } from '../../lib/kpi/define.ts'
import { dateRangeOf } from '../../lib/kpi/queries.ts'
import { change, previousWindow } from '../../lib/kpi/stats.ts'
import type { Window } from '../../lib/kpi/window.ts'

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v))

// sum() over only-NULL values is NULL in SQL, which keeps "not reported" apart from 0.
async function totals({ db }: KpiEnv, w: Window, by: 'channel' | 'date') {
  const rows = await db
    .selectFrom('youtube_daily')
    .select([
      sql<string>`${sql.ref(by)}`.as('key'),
      sql<number | null>`sum(views)`.as('views'),
      sql<number | null>`sum(watch_minutes)`.as('watchMinutes'),
      sql<number | null>`sum(subscribers_gained)`.as('gained'),
      sql<number | null>`sum(subscribers_lost)`.as('lost'),
    ])
    .where('date', '>=', w.from)
    .where('date', '<=', w.to)
    .groupBy(by)
    .orderBy(by)
    .execute()
  return rows.map((r) => {
    const gained = num(r.gained)
    const lost = num(r.lost)
    return {
      key: r.key,
      value: num(r.views),
      watchMinutes: num(r.watchMinutes),
      subscribersGained: gained,
      subscribersLost: lost,
      netSubscribers: gained === null ? null : gained - (lost ?? 0),
    }
  })
}

const total = (rows: { value: number | null }[]) => (rows.some((r) => r.value !== null) ? rows.reduce((s, r) => s + (r.value ?? 0), 0) : null)
const totalOf = <K extends 'watchMinutes' | 'netSubscribers'>(rows: Record<K, number | null>[], k: K) =>
  rows.some((r) => r[k] !== null) ? rows.reduce((s, r) => s + (r[k] ?? 0), 0) : null

export default defineKpi({
  name: 'youtube-views',
  title: 'YouTube views',
  unit: 'count',
  description: 'views, watch minutes, subscribers gained − lost',
  sources: ['youtube'],
  range: dateRangeOf('youtube_daily'),
  async compute(env, w) {
    const channels = await totals(env, w, 'channel')
    const value = total(channels)
    const previous = total(await totals(env, previousWindow(w), 'channel'))
    return {
      value,
      previous,
      change: change(value, previous),
      watchMinutes: totalOf(channels, 'watchMinutes'),
      netSubscribers: totalOf(channels, 'netSubscribers'),
      breakdown: channels,
      series: (await totals(env, w, 'date')).map(({ key, ...r }) => ({ date: key, ...r })),
    }
  },
})
