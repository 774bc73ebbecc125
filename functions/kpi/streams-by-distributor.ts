/**
 * KPI 3: distributor streams per distributor, with shares of the streams and of the calendar days
 * covered. A distributor that has reported before but not in (part of) the window stays in the
 * breakdown, marked not reported with the last day it did, instead of silently vanishing; the series
 * carries `null` for its missing days. The change compares complete days of the distributors still
 * reporting (lib/kpi/complete-days).
 */
import { defineKpi } from '../../lib/define.ts'
import { comparedOn, completeWindow, dayBasis, dayMarks, distributorName, includedTotal, leftOutNote } from '../../lib/kpi/complete-days.ts'
import { dailyStreamsByDistributor, shares, streamsBy, streamsRange } from '../../lib/kpi/queries.ts'
import { change, previousWindow, ratio } from '../../lib/kpi/stats.ts'
import { calendarDays } from '../../lib/kpi/window.ts'

export default defineKpi({
  name: 'streams-by-distributor',
  title: 'Streams by distributor',
  unit: 'streams',
  description: 'breakdown DistroKid / TooLost with shares of streams and of days covered',
  sources: ['distrokid', 'toolost'],
  range: streamsRange,
  async compute(env, w) {
    const basis = await dayBasis(env, w.to)
    const rows = (await streamsBy(env, w, 'distributor')).map((r) => ({ key: r.key, value: Number(r.value), days: Number(r.days) }))
    const totalDays = rows.reduce((s, r) => s + r.days, 0)
    const value = rows.length ? rows.reduce((s, r) => s + r.value, 0) : null
    const now = completeWindow(w, basis)
    const before = previousWindow(now)
    const current = await includedTotal(env, now, basis)
    const previous = await includedTotal(env, before, basis)
    // daysShare: this distributor's share of all distributor-days (the original's "% of days");
    // coverage: the share of the window's calendar days it reported at all.
    const breakdown = shares(rows).map((r) => {
      const d = basis.distributors.find((x) => x.distributor === r.key)
      const stopped = d && d.newest < w.to
      return {
        ...r,
        name: distributorName(r.key),
        daysShare: ratio(r.days, totalDays),
        coverage: r.days / calendarDays(w),
        lastReported: d?.newest ?? null,
        ...(stopped ? { notReportedAfter: d.newest, reason: `${distributorName(r.key)} has not reported after ${d.newest}` } : {}),
      }
    })
    for (const d of basis.distributors) {
      if (breakdown.some((r) => r.key === d.distributor) || d.first > w.to) continue
      breakdown.push({
        key: d.distributor,
        value: null as unknown as number,
        days: 0,
        share: null,
        name: distributorName(d.distributor),
        daysShare: 0,
        coverage: 0,
        lastReported: d.newest,
        notReported: true,
        notReportedAfter: d.newest,
        reason: `${distributorName(d.distributor)} has not reported after ${d.newest}`,
      } as (typeof breakdown)[number])
    }
    const series = (await dailyStreamsByDistributor(env, w)).map((p) => {
      const known = basis.distributors.filter((d) => d.first <= p.date).map((d) => d.distributor)
      const missing = Object.fromEntries(known.filter((k) => !(k in p)).map((k) => [k, null]))
      return { ...missing, ...p, ...dayMarks(basis, p.date) }
    })
    const note = leftOutNote(basis)
    return {
      value,
      previous,
      change: change(current, previous),
      compared: { ...comparedOn(basis, now, before), streams: current },
      breakdown,
      series,
      ...(note ? { note } : {}),
    }
  },
})
