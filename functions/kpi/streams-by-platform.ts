/**
 * KPI 2: distributor streams by platform (Spotify / Apple Music / other) with shares, and the daily
 * series with one field per platform (dates summed across distributors first).
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { dayBasis, dayMarks } from '../../lib/kpi/complete-days.ts'
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
    const daily = await env.db
      .selectFrom('streams_daily')
      .select(['date', 'platform', sql<number>`sum(streams)`.as('streams')])
      .where('date', '>=', w.from)
      .where('date', '<=', w.to)
      .groupBy(['date', 'platform'])
      .orderBy('date')
      .execute()
    const series: { date: string; value: number; [platform: string]: number | string }[] = []
    for (const r of daily) {
      let point = series.at(-1)
      if (!point || point.date !== r.date) series.push((point = { date: r.date, value: 0 }))
      point[r.platform] = Number(r.streams)
      point.value += Number(r.streams)
    }
    const basis = await dayBasis(env, w.to)
    return {
      value: rows.length ? rows.reduce((s, r) => s + r.value, 0) : null,
      breakdown: shares(rows),
      series: series.map((p) => ({ ...p, ...dayMarks(basis, p.date) })),
    }
  },
})
