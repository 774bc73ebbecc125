/**
 * KPI 21: TikTok followers (the latest reported value per account — a level, never summed over days),
 * followers gained in the window, and profile views (summed) where the export reports them.
 */
import { defineKpi } from '../../lib/define.ts'
import type { KpiEnv } from '../../lib/kpi/define.ts'
import { dateRangeOf, socialRows, sumReported } from '../../lib/kpi/queries.ts'
import { addDays, type Window } from '../../lib/kpi/window.ts'

/** The newest followers value per account on or before `date`. */
async function followersAt({ db }: KpiEnv, date: string) {
  const rows = await db
    .selectFrom('social_daily')
    .select(['account', 'date', 'followers'])
    .where('platform', '=', 'tiktok')
    .where('followers', 'is not', null)
    .where('date', '<=', date)
    .where(({ eb, selectFrom }) =>
      eb(
        'date',
        '=',
        selectFrom('social_daily as s')
          .select((e) => e.fn.max('s.date').as('d'))
          .whereRef('s.account', '=', 'social_daily.account')
          .where('s.platform', '=', 'tiktok')
          .where('s.followers', 'is not', null)
          .where('s.date', '<=', date),
      ),
    )
    .execute()
  return new Map(rows.map((r) => [r.account, { date: r.date, followers: r.followers! }]))
}

export default defineKpi({
  name: 'tiktok-followers',
  title: 'TikTok followers',
  unit: 'count',
  description: 'followers and profile views per account where reported',
  sources: ['tiktok'],
  range: dateRangeOf('social_daily', 'tiktok', { level: true }),
  async compute(env, w: Window) {
    const rows = await socialRows(env, 'tiktok', w)
    const latest = await followersAt(env, w.to)
    const before = await followersAt(env, addDays(w.from, -1))
    const accounts = [...new Set([...rows.map((r) => r.account), ...latest.keys()])].sort()
    const breakdown = accounts.map((a) => {
      const own = rows.filter((r) => r.account === a)
      const now = latest.get(a)
      // Without a value before the window, growth is counted from the first value inside it.
      const startFollowers = before.get(a)?.followers ?? own.find((r) => r.followers !== null)?.followers ?? null
      return {
        key: a,
        artist: own[0]?.artist ?? null,
        value: now?.followers ?? null,
        asOf: now?.date ?? null,
        gained: now && startFollowers !== null && now.date >= w.from ? now.followers - startFollowers : null,
        profileViews: sumReported(own, (r) => r.profile_views),
      }
    })
    const reported = breakdown.filter((b) => b.value !== null)
    const reporting = [...new Set(rows.filter((r) => r.followers !== null).map((r) => r.account))]
    return {
      value: reported.length ? reported.reduce((s, b) => s + b.value!, 0) : null,
      // An imported Overview export has days but no follower column: say where the count comes from.
      ...(reported.length
        ? {}
        : { note: 'TikTok’s Overview export has no follower count; it comes with the daily run’s follower snapshot, and none is loaded yet' }),
      gained: sumReported(breakdown, (b) => b.gained),
      profileViews: sumReported(breakdown, (b) => b.profileViews),
      breakdown,
      series: [...new Set(rows.map((r) => r.date))].map((date) => {
        const point: Record<string, number | string | null> = { date }
        for (const r of rows.filter((x) => x.date === date && x.followers !== null)) point[r.account] = r.followers
        // The total only where every account reported that day; a missing account would read as a loss.
        const all = reporting.every((a) => typeof point[a] === 'number')
        return {
          ...point,
          date,
          value: all && reporting.length ? reporting.reduce((s, a) => s + (point[a] as number), 0) : null,
        }
      }),
    }
  },
})
