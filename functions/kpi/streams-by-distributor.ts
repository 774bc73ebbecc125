/** KPI 3: distributor streams per distributor, with shares of the streams and of the calendar days covered. */
import { defineKpi } from '../../lib/define.ts'
import {
  dailyStreamsByDistributor,
  shares,
  streamsBy,
  streamsRange,
  streamsTotal,
} from '../../lib/kpi/queries.ts'
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
    const rows = (await streamsBy(env, w, 'distributor')).map((r) => ({
      key: r.key,
      value: Number(r.value),
      days: Number(r.days),
    }))
    const totalDays = rows.reduce((s, r) => s + r.days, 0)
    const value = rows.length ? rows.reduce((s, r) => s + r.value, 0) : null
    const previous = await streamsTotal(env, previousWindow(w))
    return {
      value,
      previous,
      change: change(value, previous),
      // daysShare: this distributor's share of all distributor-days (the original's "% of days");
      // coverage: the share of the window's calendar days it reported at all.
      breakdown: shares(rows).map((r) => ({
        ...r,
        daysShare: ratio(r.days, totalDays),
        coverage: r.days / calendarDays(w),
      })),
      series: await dailyStreamsByDistributor(env, w),
    }
  },
})
