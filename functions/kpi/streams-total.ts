/**
 * KPI 1: Σ daily distributor streams in the window, with the daily series (dates summed across sources;
 * days some platform has not reported yet marked `incomplete`, days a distributor lacks listed in
 * `notReportedBy`). The change compares complete days only, like for like (lib/kpi/complete-days): the
 * window moved back to end at the newest complete day against the equal-length window before it, over
 * the distributors still reporting.
 */
import { defineKpi } from '../../lib/define.ts'
import { comparedOn, completeWindow, dayBasis, dayMarks, includedTotal, leftOutNote } from '../../lib/kpi/complete-days.ts'
import { dailyStreams, streamsRange } from '../../lib/kpi/queries.ts'
import { change, previousWindow } from '../../lib/kpi/stats.ts'

export default defineKpi({
  name: 'streams-total',
  title: 'Streams',
  unit: 'streams',
  description: 'Σ daily streams, all distributors and platforms, in the window; daily series',
  sources: ['distrokid', 'toolost'],
  range: streamsRange,
  async compute(env, w) {
    const basis = await dayBasis(env, w.to)
    const series = (await dailyStreams(env, w)).map((p) => ({ ...p, ...dayMarks(basis, p.date) }))
    const value = series.length ? series.reduce((s, p) => s + p.value, 0) : null
    const now = completeWindow(w, basis)
    const before = previousWindow(now)
    const current = await includedTotal(env, now, basis)
    const previous = await includedTotal(env, before, basis)
    const note = leftOutNote(basis)
    return {
      value,
      previous,
      change: change(current, previous),
      compared: { ...comparedOn(basis, now, before), streams: current },
      series,
      ...(note ? { note } : {}),
    }
  },
})
