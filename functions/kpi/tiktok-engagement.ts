/**
 * KPI 20: TikTok engagement = (likes + comments + shares) / video views, as %, per account and overall
 * over the window (a ratio of sums, so busy days weigh more); null when the views are 0. Only days that
 * report views count, on both sides of the ratio.
 */
import { defineKpi } from '../../lib/define.ts'
import { dateRangeOf, socialRows } from '../../lib/kpi/queries.ts'
import { ratio } from '../../lib/kpi/stats.ts'

type Row = { views: number | null; likes: number | null; comments: number | null; shares: number | null }

function engagement(rows: readonly Row[]) {
  const counted = rows.filter((r) => r.views !== null)
  if (!counted.length) return { value: null, views: null, interactions: null }
  const views = counted.reduce((s, r) => s + r.views!, 0)
  const interactions = counted.reduce((s, r) => s + (r.likes ?? 0) + (r.comments ?? 0) + (r.shares ?? 0), 0)
  const r = ratio(interactions, views)
  return { value: r === null ? null : r * 100, views, interactions }
}

export default defineKpi({
  name: 'tiktok-engagement',
  title: 'TikTok engagement',
  unit: 'percent',
  description: '(likes + comments + shares) / video views per account; null when views are 0',
  sources: ['tiktok'],
  range: dateRangeOf('social_daily', 'tiktok'),
  async compute(env, w) {
    const rows = await socialRows(env, 'tiktok', w)
    const accounts = [...new Set(rows.map((r) => r.account))].sort()
    const dates = [...new Set(rows.map((r) => r.date))]
    return {
      ...engagement(rows),
      breakdown: accounts.map((a) => {
        const own = rows.filter((r) => r.account === a)
        return { key: a, artist: own[0].artist, ...engagement(own) }
      }),
      series: dates.map((d) => ({ date: d, value: engagement(rows.filter((r) => r.date === d)).value })),
    }
  },
})
