/**
 * KPI 7: latest Spotify listeners per artist, with the daily series. Listeners are a reported value:
 * the headline is each artist's latest figure (added across artists, whose audiences may overlap),
 * never a sum across days.
 */
import { defineKpi } from '../../lib/define.ts'
import { audienceRange, audienceValues, byArtist, seriesByDate, sum } from '../spotify/audience-queries.ts'

export default defineKpi({
  name: 'spotify-listeners',
  title: 'Spotify listeners',
  unit: 'listeners',
  description: 'latest listeners per artist + series (reported value; never summed across days)',
  sources: ['spotify'],
  range: audienceRange,
  async compute(env, w) {
    const rows = await audienceValues(env, w, 'listeners')
    const breakdown = [...byArtist(rows)].map(([artist, list]) => {
      const last = list[list.length - 1]
      return { key: artist, value: last.value, date: last.date }
    })
    return {
      value: breakdown.length ? sum(breakdown.map((b) => b.value)) : null,
      breakdown,
      series: seriesByDate(rows),
      note: 'Monthly listeners on Spotify for Artists: each artist’s latest figure, added together (a listener of two artists counts twice).',
    }
  },
})
