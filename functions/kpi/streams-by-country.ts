/**
 * Streams per country from the distributors' own per-country totals (TooLost's Apple Music
 * `countryTotal`): the newest snapshot ending by the window's end, with its own period (year to date),
 * never summed with older snapshots; top 10 and the rest summed beside them.
 */
import { defineKpi } from '../../lib/define.ts'
import { newestSnapshots, snapshotRange } from '../../lib/kpi/snapshots.ts'

export default defineKpi({
  name: 'streams-by-country',
  title: 'Streams by country',
  unit: 'streams',
  description: 'per country: the distributors’ newest per-country totals (their own period); top 10',
  sources: ['toolost'],
  range: snapshotRange('country_streams_snapshot'),
  async compute(env, w) {
    const snaps = await newestSnapshots(env, 'country_streams_snapshot', w)
    const byCountry = new Map<string, number>()
    // Different distributors' snapshots are different streams (not overlapping windows of one): they add.
    for (const s of snaps) for (const r of s.rows) byCountry.set(String(r.country), (byCountry.get(String(r.country)) ?? 0) + Number(r.streams))
    const rows = [...byCountry].map(([key, value]) => ({ key, value })).sort((a, b) => b.value - a.value || a.key.localeCompare(b.key))
    const total = rows.reduce((s, r) => s + r.value, 0)
    const rest = rows.slice(10)
    return {
      value: rows.length ? total : null,
      countries: rows.length,
      periods: snaps.map((s) => ({ distributor: s.distributor, platform: s.platform, ...s.period })),
      breakdown: rows.slice(0, 10).map((r) => ({ ...r, share: total ? r.value / total : null })),
      ...(rest.length ? { others: { countries: rest.length, value: rest.reduce((s, r) => s + r.value, 0) } } : {}),
      note: snaps.length
        ? `Totals as reported by ${snaps.map((s) => s.label).join('; ')} (the distributor's own period, not this window's days).`
        : 'No per-country totals from a distributor up to this window yet.',
    }
  },
})
