/**
 * KPI 5: distributor streams per calendar day. Days without a row inside the sources' coverage count
 * (calendar days, not rows); days before the first reported date or after the newest complete one (a
 * day some platform has not reported yet) are not averaged, so the window is first clipped to that
 * coverage. The change sets complete days of the distributors still reporting against the same number
 * of days before them (lib/kpi/complete-days).
 */
import { defineKpi } from '../../lib/define.ts'
import { comparedOn, completeWindow, dayBasis, dayMarks, includedTotal, leftOutNote } from '../../lib/kpi/complete-days.ts'
import { dailyStreams, streamsRange, streamsTotal } from '../../lib/kpi/queries.ts'
import { change, previousWindow } from '../../lib/kpi/stats.ts'
import { calendarDays, type Window } from '../../lib/kpi/window.ts'

function clip(w: Window, min: string | null, max: string | null): Window | null {
  if (!min || !max) return null
  const c = { from: w.from < min ? min : w.from, to: w.to > max ? max : w.to }
  return c.from > c.to ? null : c
}

export default defineKpi({
  name: 'streams-daily-average',
  title: 'Daily average',
  unit: 'streams',
  description: 'window total / calendar days in the window',
  sources: ['distrokid', 'toolost'],
  range: streamsRange,
  async compute(env, w) {
    const coverage = await streamsRange(env)
    const basis = await dayBasis(env, w.to)
    const clipped = clip(w, coverage.min, basis.through)
    const total = clipped ? await streamsTotal(env, clipped) : null
    const days = clipped ? calendarDays(clipped) : 0
    const value = total === null ? null : total / days

    const now = completeWindow(w, basis)
    const before = previousWindow(now)
    const nowClip = clip(now, coverage.min, basis.through)
    const beforeClip = clip(before, coverage.min, basis.through)
    const avg = async (c: Window | null) => {
      const t = c ? await includedTotal(env, c, basis) : null
      return t === null || !c ? null : t / calendarDays(c)
    }
    const current = await avg(nowClip)
    const previous = await avg(beforeClip)
    const series = (await dailyStreams(env, w)).map((p) => ({ ...p, ...dayMarks(basis, p.date) }))
    const note = leftOutNote(basis)
    return {
      value,
      previous,
      change: change(current, previous),
      compared: { ...comparedOn(basis, now, before), average: current },
      total,
      calendarDays: days,
      daysReported: series.filter((p) => !p.incomplete).length,
      ...(clipped && (clipped.from !== w.from || clipped.to !== w.to) ? { averagedOver: clipped } : {}),
      series,
      ...(note ? { note } : {}),
    }
  },
})
