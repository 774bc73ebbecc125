/**
 * KPI 27: Meta spend / Spotify followers gained, per artist and window (campaigns reach an artist
 * through the campaign-name rule, lib/kpi/campaigns.ts). Always `estimated`: the followers gained
 * include organic growth, so this is a lower bound of what one ad-driven follower cost. Null for an
 * artist whose followers did not grow (no denominator) or who has no follower data in the window.
 */
import { defineKpi } from '../../lib/define.ts'
import { spendByArtistDay } from '../../lib/kpi/campaigns.ts'
import { dateRangeOf, spotifyFollowersGained } from '../../lib/kpi/queries.ts'

export default defineKpi({
  name: 'cost-per-follower',
  title: 'Cost per follower',
  unit: 'usd',
  description: 'Meta spend / Spotify followers gained for the same artist and window',
  sources: ['metaads', 'spotify'],
  range: dateRangeOf('ad_insights_daily'),
  async compute(env, w) {
    const spend = await spendByArtistDay(env, w)
    const gained = await spotifyFollowersGained(env, w)
    const spendOf = (a: string | null) => [...(spend.get(a)?.values() ?? [])].reduce((s, c) => s + c, 0) / 100
    const artists = [...spend.keys()].filter((a): a is string => a !== null).sort()
    const breakdown = artists.map((artist) => {
      const g = gained.get(artist) ?? null
      const s = spendOf(artist)
      return {
        key: artist,
        value: g && g.gained !== null && g.gained > 0 ? s / g.gained : null,
        spend: s,
        followersGained: g?.gained ?? null,
        followersFrom: g?.from ?? null,
        followersTo: g?.to ?? null,
      }
    })
    const counted = breakdown.filter((b) => b.value !== null)
    const followers = counted.reduce((s, b) => s + b.followersGained!, 0)
    const spent = counted.reduce((s, b) => s + b.spend, 0)
    const unattributed = spendOf(null)
    return {
      value: followers > 0 ? spent / followers : null,
      spend: spent,
      followersGained: counted.length ? followers : null,
      estimated: true,
      breakdown: [...breakdown, ...(unattributed ? [{ key: 'unattributed', value: null, spend: unattributed, followersGained: null }] : [])],
      note: 'followers gained include organic growth, so this is a lower bound of the cost of one follower won by ads',
    }
  },
})
