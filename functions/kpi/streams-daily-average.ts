/**
 * KPI 5: distributor streams per calendar day. Days without a row inside the sources' coverage count
 * (calendar days, not rows); days before the first or after the newest reported date are not reported
 * yet rather than zero, so the window is first clipped to that coverage.
 */
import { defineKpi } from '../../lib/define.ts'
import type { KpiEnv } from '../../lib/kpi/define.ts'
import { dailyStreams, streamsRange, streamsTotal } from '../../lib/kpi/queries.ts'
import { change, previousWindow } from '../../lib/kpi/stats.ts'
import { calendarDays, type Window } from '../../lib/kpi/window.ts'

async function average(env: KpiEnv, w: Window, coverage: { min: string | null; max: string | null }) {
  if (!coverage.min || !coverage.max) return { value: null, days: 0, total: null }
  const clipped = {
    from: w.from < coverage.min ? coverage.min : w.from,
    to: w.to > coverage.max ? coverage.max : w.to,
  }
  if (clipped.from > clipped.to) return { value: null, days: 0, total: null }
  const total = await streamsTotal(env, clipped)
  const days = calendarDays(clipped)
  return { value: total === null ? null : total / days, days, total, clipped }
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
    const now = await average(env, w, coverage)
    const before = await average(env, previousWindow(w), coverage)
    const series = await dailyStreams(env, w)
    return {
      value: now.value,
      previous: before.value,
      change: change(now.value, before.value),
      total: now.total,
      calendarDays: now.days,
      daysReported: series.length,
      ...(now.clipped && (now.clipped.from !== w.from || now.clipped.to !== w.to)
        ? { averagedOver: now.clipped }
        : {}),
      series,
    }
  },
})
