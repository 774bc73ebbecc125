/**
 * KPI 8: latest Spotify followers per artist and followers gained in the window (the last reported
 * figure in the window minus the first). A gain needs two reported days; with fewer it is null.
 */
import { defineKpi } from '../../lib/define.ts'
import { audienceRange, audienceValues, byArtist, seriesByDate, sum } from '../spotify/audience-queries.ts'

export default defineKpi({
  name: 'spotify-followers',
  title: 'Spotify followers',
  unit: 'followers',
  description: 'latest followers per artist, gained in window',
  sources: ['spotify'],
  range: audienceRange,
  async compute(env, w) {
    const rows = await audienceValues(env, w, 'followers')
    const breakdown = [...byArtist(rows)].map(([artist, list]) => {
      const first = list[0]
      const last = list[list.length - 1]
      const gained = list.length >= 2 ? last.value - first.value : null
      return { key: artist, value: last.value, date: last.date, first: first.value, firstDate: first.date, gained }
    })
    const gains = breakdown.map((b) => b.gained).filter((g): g is number => g !== null)
    return {
      value: breakdown.length ? sum(breakdown.map((b) => b.value)) : null,
      gained: gains.length ? sum(gains) : null,
      breakdown,
      series: seriesByDate(rows),
      note: 'Spotify for Artists; gained = last − first reported followers in the window, per artist',
    }
  },
})
