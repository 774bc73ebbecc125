/**
 * KPI 6: the newest complete date (every active distributor has reported it) against the calendar day
 * before it: value = the absolute change in streams, `change` the relative one. Each date is summed over
 * all distributors first — the original compared the last two *rows*, which could be two distributors
 * on the same day. A day before with no data at all is "not reported", so the change is null, not a jump.
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { newestCompleteDate, streamsRange } from '../../lib/kpi/queries.ts'
import { change } from '../../lib/kpi/stats.ts'
import { addDays } from '../../lib/kpi/window.ts'

export default defineKpi({
  name: 'streams-day-over-day',
  title: 'Day over day',
  unit: 'streams',
  description: 'newest complete date vs the date before, absolute and %',
  sources: ['distrokid', 'toolost'],
  range: streamsRange,
  async compute(env, w) {
    const date = await newestCompleteDate(env, w)
    if (!date) return { value: null, note: 'no distributor streams in the window' }
    const before = addDays(date, -1)
    const rows = await env.db
      .selectFrom('streams_daily')
      .select(['date', 'distributor', sql<number>`sum(streams)`.as('streams')])
      .where('date', 'in', [before, date])
      .groupBy(['date', 'distributor'])
      .execute()
    const at = (d: string, distributor?: string) => {
      const hits = rows.filter((r) => r.date === d && (!distributor || r.distributor === distributor))
      return hits.length ? hits.reduce((s, r) => s + Number(r.streams), 0) : null
    }
    const current = at(date)
    const previous = at(before)
    const delta = current === null || previous === null ? null : current - previous
    const rel = change(current, previous)
    const distributors = [...new Set(rows.map((r) => r.distributor))].sort()
    return {
      value: delta,
      change: rel,
      percent: rel === null ? null : rel * 100,
      date,
      previousDate: before,
      streams: current,
      previousStreams: previous,
      breakdown: distributors.map((d) => {
        const c = at(date, d)
        const p = at(before, d)
        return {
          key: d,
          value: c === null || p === null ? null : c - p,
          streams: c,
          previousStreams: p,
          change: change(c, p),
        }
      }),
      ...(previous === null ? { note: `no distributor reported ${before}` } : {}),
    }
  },
})
