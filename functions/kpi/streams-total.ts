/** KPI 1: Σ daily distributor streams in the window, with the daily series (dates summed across sources). */
import { defineKpi } from '../../lib/define.ts'
import { dailyStreams, streamsRange } from '../../lib/kpi/queries.ts'

export default defineKpi({
  name: 'streams-total',
  title: 'Streams',
  unit: 'streams',
  description: 'Σ daily streams, all distributors and platforms, in the window; daily series',
  sources: ['distrokid', 'toolost'],
  range: streamsRange,
  async compute(env, w) {
    const series = await dailyStreams(env, w)
    return { value: series.length ? series.reduce((s, p) => s + p.value, 0) : null, series }
  },
})
