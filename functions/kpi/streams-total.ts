/**
 * KPI 1: Σ daily distributor streams in the window, with the daily series (dates summed across sources)
 * and the previous equal-length window's total.
 */
import { defineKpi } from '../../lib/define.ts'
import { dailyStreams, streamsRange, streamsTotal } from '../../lib/kpi/queries.ts'
import { change, previousWindow } from '../../lib/kpi/stats.ts'

export default defineKpi({
  name: 'streams-total',
  title: 'Streams',
  unit: 'streams',
  description: 'Σ daily streams, all distributors and platforms, in the window; daily series',
  sources: ['distrokid', 'toolost'],
  range: streamsRange,
  async compute(env, w) {
    const series = await dailyStreams(env, w)
    const value = series.length ? series.reduce((s, p) => s + p.value, 0) : null
    // The equal-length window before: the card's "change vs the previous period".
    const previous = await streamsTotal(env, previousWindow(w))
    return { value, previous, change: change(value, previous), series }
  },
})
