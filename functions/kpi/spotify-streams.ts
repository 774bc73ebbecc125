/**
 * KPI 9: Spotify-only streams per artist in the window, as Spotify for Artists reports them. These
 * overlap the distributors' Spotify streams and are never added to the platform totals.
 */
import { defineKpi } from '../../lib/define.ts'
import { audienceRange, audienceValues, byArtist, seriesByDate, sum } from '../spotify/audience-queries.ts'

export default defineKpi({
  name: 'spotify-streams',
  title: 'Spotify streams (S4A)',
  unit: 'streams',
  description: 'Spotify-only streams per artist in window',
  sources: ['spotify'],
  range: audienceRange,
  async compute(env, w) {
    const rows = await audienceValues(env, w, 'streams')
    const breakdown = [...byArtist(rows)]
      .map(([artist, list]) => ({ key: artist, value: sum(list.map((r) => r.value)), days: list.length }))
      .sort((a, b) => b.value - a.value)
    return {
      value: rows.length ? sum(rows.map((r) => r.value)) : null,
      breakdown,
      series: seriesByDate(rows),
      note: 'Spotify plays from Spotify for Artists. They are already inside the distributor totals, so the two are never added.',
    }
  },
})
