/**
 * KPI 22: Instagram views, reach and followers per day (accounts summed per date). The value is the sum
 * of daily reach over the window — people reached each day, so one person can count on several days;
 * followers are a level: the newest reported value, never summed over days.
 */
import { defineKpi } from '../../lib/define.ts'
import { dateRangeOf, socialRows, sumReported } from '../../lib/kpi/queries.ts'
import { change, previousWindow } from '../../lib/kpi/stats.ts'

export default defineKpi({
  name: 'instagram-reach',
  title: 'Instagram reach',
  unit: 'count',
  description: 'views / reach / followers per day',
  sources: ['instagram'],
  range: dateRangeOf('social_daily', 'instagram'),
  async compute(env, w) {
    const rows = await socialRows(env, 'instagram', w)
    const value = sumReported(rows, (r) => r.reach)
    const previous = sumReported(await socialRows(env, 'instagram', previousWindow(w)), (r) => r.reach)
    const dates = [...new Set(rows.map((r) => r.date))]
    const accounts = [...new Set(rows.map((r) => r.account))].sort()
    const newestFollowers = (own: typeof rows) => [...own].reverse().find((r) => r.followers !== null)?.followers ?? null
    return {
      value,
      previous,
      change: change(value, previous),
      views: sumReported(rows, (r) => r.views),
      followers: sumReported(
        accounts.map((a) => ({ f: newestFollowers(rows.filter((r) => r.account === a)) })),
        (x) => x.f,
      ),
      series: dates.map((date) => {
        const day = rows.filter((r) => r.date === date)
        return {
          date,
          value: sumReported(day, (r) => r.reach),
          views: sumReported(day, (r) => r.views),
          followers: sumReported(day, (r) => r.followers),
        }
      }),
      breakdown: accounts.map((a) => {
        const own = rows.filter((r) => r.account === a)
        return {
          key: a,
          artist: own[0].artist,
          value: sumReported(own, (r) => r.reach),
          views: sumReported(own, (r) => r.views),
          followers: newestFollowers(own),
        }
      }),
    }
  },
})
