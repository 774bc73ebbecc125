/**
 * KPI 6: the newest complete date (every platform of every distributor still reporting has reported it:
 * lib/kpi/complete-days) against the calendar day before it: value = the absolute change in streams,
 * `change` the relative one. Both days are summed over the same distributors — the original compared
 * the last two *rows*, which could be two distributors on the same day, and later the newest day, which
 * one platform had reached and another had not. A distributor that has stopped reporting is listed,
 * not compared. A day before with no data at all is "not reported", so the change is null, not a jump.
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { dayBasis, distributorName, leftOutNote, platformName } from '../../lib/kpi/complete-days.ts'
import { streamsRange } from '../../lib/kpi/queries.ts'
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
    const basis = await dayBasis(env, w.to)
    const date = basis.through && basis.through >= w.from ? basis.through : null
    if (!date) return { value: null, note: 'No distributor streams in this window.' }
    const before = addDays(date, -1)
    const rows = await env.db
      .selectFrom('streams_daily')
      .select(['date', 'distributor', 'platform', sql<number>`sum(streams)`.as('streams')])
      .where('date', 'in', [before, date])
      .where('distributor', 'in', basis.included)
      .groupBy(['date', 'distributor', 'platform'])
      .execute()
    const at = (d: string, distributor?: string) => {
      const hits = rows.filter((r) => r.date === d && (!distributor || r.distributor === distributor))
      return hits.length ? hits.reduce((s, r) => s + Number(r.streams), 0) : null
    }
    const current = at(date)
    const previous = at(before)
    const delta = current === null || previous === null ? null : current - previous
    const rel = change(current, previous)
    const platforms = basis.distributors
      .filter((d) => basis.included.includes(d.distributor))
      .map((d) => `${distributorName(d.distributor)}: ${d.platforms.map((p) => platformName(p.platform)).join(', ')}`)
    const leftOut = leftOutNote(basis)
    return {
      value: delta,
      change: rel,
      percent: rel === null ? null : rel * 100,
      date,
      previousDate: before,
      streams: current,
      previousStreams: previous,
      distributors: basis.included,
      leftOut: basis.excluded,
      breakdown: [
        ...basis.included.map((d) => {
          const c = at(date, d)
          const p = at(before, d)
          return { key: d, name: distributorName(d), value: c === null || p === null ? null : c - p, streams: c, previousStreams: p, change: change(c, p) }
        }),
        ...basis.excluded.map((e) => ({
          key: e.distributor,
          name: distributorName(e.distributor),
          value: null,
          streams: null,
          previousStreams: null,
          change: null,
          notReported: true,
          reason: `${distributorName(e.distributor)} has not reported after ${e.lastReported}`,
        })),
      ],
      note:
        previous === null
          ? `No distributor reported ${before}.`
          : `${date} against ${before}, both complete (${platforms.join('; ')}).${leftOut ? ` ${leftOut}` : ''}`,
    }
  },
})
