/**
 * KPI 8: latest Spotify followers per artist and followers gained in the window: the last reported
 * figure in the window minus the last one before it (the first in the window when there is none) —
 * the same rule cost-per-follower divides by. One figure and no baseline measure no gain: null.
 */
import { defineKpi } from '../../lib/define.ts'
import { spotifyFollowersGained } from '../../lib/kpi/queries.ts'
import { audienceRange, audienceValues, seriesByDate, sum } from '../spotify/audience-queries.ts'

export default defineKpi({
  name: 'spotify-followers',
  title: 'Spotify followers',
  unit: 'followers',
  description: 'latest followers per artist, gained in window',
  sources: ['spotify'],
  range: audienceRange,
  async compute(env, w) {
    const rows = await audienceValues(env, w, 'followers')
    const breakdown = [...(await spotifyFollowersGained(env, w))]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([artist, g]) => ({ key: artist, value: g.latest, date: g.to, baseline: g.baseline, baselineDate: g.from, gained: g.gained }))
    const gains = breakdown.map((b) => b.gained).filter((g): g is number => g !== null)
    return {
      value: breakdown.length ? sum(breakdown.map((b) => b.value)) : null,
      gained: gains.length ? sum(gains) : null,
      breakdown,
      series: seriesByDate(rows),
      note: 'Followers on Spotify for Artists: the newest figure per artist, and how many were gained since the window began.',
    }
  },
})
