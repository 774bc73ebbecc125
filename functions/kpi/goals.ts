/**
 * KPI 29: progress to the targets in lib/kpi/settings.ts (defaults $500 revenue a month, 200,000 streams
 * a month, 10,000 Spotify followers). Each goal: value = actual / target × 100, and a status:
 *   achieved   value ≥ 100
 *   on_track   pace ≥ on-track % (default 75)
 *   behind     pace ≥ behind % (default 50)
 *   at_risk    below that
 * where pace is the value, except for a month still in progress, whose pace is the month projected
 * at its daily rate so far (actual / days elapsed × days in month / target × 100).
 *  - streams-month: distributor streams of the calendar month holding the newest complete date
 *    (lib/kpi/complete-days); the projection extrapolates only the distributors still reporting, a
 *    distributor that stopped counts with what it reported.
 *  - revenue-month: ledger earnings of the newest complete sale month (lib/kpi/complete-months: the
 *    stores that usually report it have); with none yet, the newest sale month, marked incomplete.
 *  - spotify-followers: each artist's newest Spotify-for-Artists followers, summed over artists.
 * The value of the KPI is the weakest goal's progress. Goals ignore the window: they keep their periods.
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { dayBasis, includedTotal, leftOutNote } from '../../lib/kpi/complete-days.ts'
import { ledgerBasis } from '../../lib/kpi/complete-months.ts'
import { ledgerRange, money, sourceNewestDates, streamsTotal } from '../../lib/kpi/queries.ts'
import { kpiSettings, type KpiSettings } from '../../lib/kpi/settings.ts'
import { addMonths, daysInMonth, round } from '../../lib/kpi/stats.ts'

type Status = 'achieved' | 'on_track' | 'behind' | 'at_risk'

function judge(actual: number, target: number, g: KpiSettings['goals'], projected = actual) {
  const value = (actual / target) * 100
  const pace = (projected / target) * 100
  const status: Status = value >= 100 ? 'achieved' : pace >= g.onTrackPct ? 'on_track' : pace >= g.behindPct ? 'behind' : 'at_risk'
  return { value: round(value, 1), status, pace: round(pace, 1) }
}

export default defineKpi({
  name: 'goals',
  title: 'Goals',
  unit: 'percent',
  description: 'progress to configurable targets: % and on_track / behind / at_risk / achieved',
  sources: ['distrokid', 'toolost', 'spotify'],
  async range(env) {
    const dates = (await sourceNewestDates(env))
      .filter((s) => ['distrokid', 'toolost', 'ledger', 'spotify'].includes(s.source))
      .map((s) => s.newest)
      .sort()
    return { min: dates[0] ?? null, max: dates.at(-1) ?? null }
  },
  async compute(env) {
    const { goals, payment } = kpiSettings()
    const rows = []

    const streamsTo = (await sql<{ max: string | null }>`select max(date) as max from streams_daily`.execute(env.db)).rows[0]?.max
    if (streamsTo) {
      const basis = await dayBasis(env, streamsTo)
      const anchor = basis.through ?? streamsTo
      const month = anchor.slice(0, 7)
      const actual = (await streamsTotal(env, { from: `${month}-01`, to: anchor })) ?? 0
      const live = (await includedTotal(env, { from: `${month}-01`, to: anchor }, basis)) ?? 0
      const elapsed = Number(anchor.slice(8, 10))
      const projected = (live / elapsed) * daysInMonth(month) + (actual - live)
      const leftOut = leftOutNote(basis)
      rows.push({
        key: 'streams-month',
        ...judge(actual, goals.streamsMonth, goals, projected),
        actual,
        target: goals.streamsMonth,
        unit: 'streams',
        period: month,
        through: anchor,
        complete: elapsed === daysInMonth(month),
        projected: Math.round(projected),
        ...(leftOut ? { note: `${leftOut} Its streams count as reported, not projected.` } : {}),
      })
    }

    const ledgerTo = (await ledgerRange(env)).max?.slice(0, 7)
    if (ledgerTo) {
      const months = await env.db
        .selectFrom('revenue_lines')
        .select(['sale_month', sql<number>`sum(earnings_e8)`.as('e8')])
        .where('sale_month', '>=', addMonths(ledgerTo, -12))
        .groupBy('sale_month')
        .orderBy('sale_month', 'desc')
        .execute()
      const basis = await ledgerBasis(env, payment)
      const pick = months.find((m) => basis.state(m.sale_month).complete) ?? months[0]
      const state = basis.state(pick.sale_month)
      const actual = money(pick.e8).value
      rows.push({
        key: 'revenue-month',
        ...judge(actual, goals.revenueMonth, goals),
        actual,
        target: goals.revenueMonth,
        unit: 'usd',
        period: pick.sale_month,
        complete: state.complete,
        ...(state.complete ? {} : { incomplete: true, reason: state.reason }),
        ledgerAsOf: basis.asOf,
      })
    }

    const followers = await env.db
      .selectFrom('spotify_audience_daily as s')
      .select(['s.artist', 's.date', 's.followers'])
      .where('s.followers', 'is not', null)
      .where(({ eb, selectFrom }) =>
        eb(
          's.date',
          '=',
          selectFrom('spotify_audience_daily as t')
            .select((e) => e.fn.max('t.date').as('d'))
            .whereRef('t.artist', '=', 's.artist')
            .where('t.followers', 'is not', null),
        ),
      )
      .execute()
    if (followers.length) {
      const actual = followers.reduce((s, r) => s + r.followers!, 0)
      rows.push({
        key: 'spotify-followers',
        ...judge(actual, goals.spotifyFollowers, goals),
        actual,
        target: goals.spotifyFollowers,
        unit: 'count',
        perArtist: Object.fromEntries(followers.map((r) => [r.artist, r.followers])),
      })
    }

    return { value: rows.length ? Math.min(...rows.map((r) => r.value!)) : null, breakdown: rows }
  },
})
