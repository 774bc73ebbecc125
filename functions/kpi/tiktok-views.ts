/** KPI 19: TikTok video views per account in the window, a daily series (accounts summed per date) and the total. */
import { defineKpi } from '../../lib/define.ts'
import { dateRangeOf, socialRows, sumReported } from '../../lib/kpi/queries.ts'
import { change, previousWindow } from '../../lib/kpi/stats.ts'

export default defineKpi({
  name: 'tiktok-views',
  title: 'TikTok views',
  unit: 'count',
  description: 'video views per account, daily series and total',
  sources: ['tiktok'],
  range: dateRangeOf('social_daily', 'tiktok'),
  async compute(env, w) {
    const rows = (await socialRows(env, 'tiktok', w)).filter((r) => r.views !== null)
    const value = sumReported(rows, (r) => r.views)
    const previous = sumReported(await socialRows(env, 'tiktok', previousWindow(w)), (r) => r.views)
    const series = new Map<string, { date: string; value: number; [account: string]: number | string }>()
    for (const r of rows) {
      const p = series.get(r.date) ?? { date: r.date, value: 0 }
      p.value += r.views!
      p[r.account] = r.views!
      series.set(r.date, p)
    }
    const accounts = [...new Set(rows.map((r) => r.account))].sort()
    return {
      value,
      previous,
      change: change(value, previous),
      series: [...series.values()],
      breakdown: accounts.map((a) => {
        const own = rows.filter((r) => r.account === a)
        return { key: a, artist: own[0].artist, value: sumReported(own, (r) => r.views), days: own.length }
      }),
    }
  },
})
