/** KPI 2: distributor streams by platform (Spotify / Apple Music / other) with shares. */
import { defineKpi } from '../../lib/define.ts'
import { shares, streamsBy, streamsRange } from '../../lib/kpi/queries.ts'

export default defineKpi({
  name: 'streams-by-platform',
  title: 'Streams by platform',
  unit: 'streams',
  description: 'breakdown Spotify / Apple Music / other with shares',
  sources: ['distrokid', 'toolost'],
  range: streamsRange,
  async compute(env, w) {
    const rows = (await streamsBy(env, w, 'platform')).map((r) => ({ key: r.key, value: Number(r.value), days: Number(r.days) }))
    return { value: rows.length ? rows.reduce((s, r) => s + r.value, 0) : null, breakdown: shares(rows) }
  },
})
