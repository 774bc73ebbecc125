/**
 * KPI 4: distributor streams growth, %. Three comparisons, each null when its previous period is 0 or
 * not reported:
 *  - value: the window against the equal-length window before it (`previous` is that window's own
 *    growth against the window before it, so the page can say how the growth itself moved);
 *  - week: the ISO week holding the newest complete date, Monday … that date, against the same weekdays
 *    of the ISO week before (a week in progress is compared like for like, not with a whole week);
 *  - month: the 1st … the newest complete date against the same days of the month before.
 * Dates are summed across distributors first; the series is one point per ISO week of the window.
 * Only complete days of the distributors still reporting are compared (lib/kpi/complete-days): the
 * window ends at the newest complete day, and a distributor that stopped is left out of both sides.
 */
import { defineKpi } from '../../lib/define.ts'
import { comparedOn, completeWindow, dayBasis, includedDaily, leftOutNote } from '../../lib/kpi/complete-days.ts'
import { streamsRange } from '../../lib/kpi/queries.ts'
import { addMonths, change, daysInMonth, growthPct, isoWeek, isoWeekMonday, previousWindow } from '../../lib/kpi/stats.ts'
import { addDays, type Window } from '../../lib/kpi/window.ts'

function summer(byDate: Map<string, number>) {
  /** Σ over calendar days; null when not one of them was reported. */
  return (w: Window): number | null => {
    let total: number | null = null
    for (let d = w.from; d <= w.to; d = addDays(d, 1)) {
      const v = byDate.get(d)
      if (v !== undefined) total = (total ?? 0) + v
    }
    return total
  }
}

function compare(key: string, sum: (w: Window) => number | null, now: Window, before: Window, period: string, previousPeriod: string) {
  const streams = sum(now)
  const previousStreams = sum(before)
  return {
    key,
    value: growthPct(streams, previousStreams),
    unit: 'percent',
    period,
    previousPeriod,
    streams,
    previousStreams,
    current: now,
    previous: before,
  }
}

export default defineKpi({
  name: 'streams-growth',
  title: 'Streams growth',
  unit: 'percent',
  description: 'this week vs last (ISO weeks) and this month vs last, %; null when the previous is 0',
  sources: ['distrokid', 'toolost'],
  range: streamsRange,
  async compute(env, w0) {
    // Complete days only, over the distributors still reporting (lib/kpi/complete-days): the window
    // moves back to end at the newest complete day, keeping its length.
    const basis = await dayBasis(env, w0.to)
    const w = completeWindow(w0, basis)
    const prev = previousWindow(w)
    const prevPrev = previousWindow(prev)
    const anchor = basis.through && basis.through < w.to ? basis.through : w.to
    const monday = isoWeekMonday(anchor)
    const month = anchor.slice(0, 7)
    const lastMonth = addMonths(month, -1)
    const sameDay = Math.min(Number(anchor.slice(8, 10)), daysInMonth(lastMonth))
    const earliest = [prevPrev.from, addDays(isoWeekMonday(w.from), -7), addDays(monday, -7), `${lastMonth}-01`].sort()[0]
    const sum = summer(await includedDaily(env, { from: earliest, to: w.to }, basis))

    const streams = sum(w)
    const previousStreams = sum(prev)
    const value = growthPct(streams, previousStreams)
    const previous = growthPct(previousStreams, sum(prevPrev))
    const week = compare(
      'week',
      sum,
      { from: monday, to: anchor },
      { from: addDays(monday, -7), to: addDays(anchor, -7) },
      isoWeek(anchor),
      isoWeek(addDays(monday, -7)),
    )
    const monthRow = compare(
      'month',
      sum,
      { from: `${month}-01`, to: anchor },
      { from: `${lastMonth}-01`, to: `${lastMonth}-${String(sameDay).padStart(2, '0')}` },
      month,
      lastMonth,
    )

    const series = []
    const last = anchor < w.to ? anchor : w.to
    for (let start = isoWeekMonday(w.from); start <= last; start = addDays(start, 7)) {
      const end = addDays(start, 6) < last ? addDays(start, 6) : last
      const row = compare(
        'week',
        sum,
        { from: start, to: end },
        { from: addDays(start, -7), to: addDays(end, -7) },
        isoWeek(start),
        isoWeek(addDays(start, -7)),
      )
      series.push({
        date: row.period,
        value: row.value,
        streams: row.streams,
        previousStreams: row.previousStreams,
        complete: end === addDays(start, 6),
      })
    }
    return {
      value,
      previous,
      change: change(value, previous),
      streams,
      previousStreams,
      newestCompleteDate: anchor,
      compared: comparedOn(basis, w, prev),
      ...(leftOutNote(basis) ? { note: leftOutNote(basis) } : {}),
      breakdown: [week, monthRow, { key: 'window', value, unit: 'percent', streams, previousStreams, current: w, previous: prev }],
      series,
    }
  },
})
