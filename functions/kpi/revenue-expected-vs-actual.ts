/**
 * KPI 18: per sale month, expected revenue = the streams of the distributors whose ledger we hold (the
 * DistroKid ledger is set against DistroKid's own streams, never TooLost's) × the platform's rate
 * (settings: Spotify 0.002274, Apple 0.005771, anything else 0.002486 USD) — an estimate; actual = the
 * ledger's exact earnings for that sale month (null while nothing is reported, never 0); variance =
 * actual − expected. Payment status and completeness come from the ledger's own history
 * (lib/kpi/complete-months): PAID once the stores that usually report a month have; otherwise due when
 * the slowest of them usually arrives, judged at the ledger's as-of date. The headline (value,
 * expected, variance) sums complete months only; unfinished months stay in the series, marked.
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { distributorName } from '../../lib/kpi/complete-days.ts'
import { ledgerBasis } from '../../lib/kpi/complete-months.ts'
import { ledgerByMonth, ledgerRange, money, monthBounds, monthEnd } from '../../lib/kpi/queries.ts'
import { kpiSettings, rateFor } from '../../lib/kpi/settings.ts'
import { round } from '../../lib/kpi/stats.ts'

async function ledgerDistributors(env: Parameters<typeof ledgerRange>[0]) {
  return (await env.db.selectFrom('revenue_lines').select('distributor').distinct().execute()).map((r) => r.distributor)
}

export default defineKpi({
  name: 'revenue-expected-vs-actual',
  title: 'Revenue: expected vs actual',
  unit: 'usd',
  description: 'per month: expected = the same distributor’s streams × per-platform rate (estimated); actual = ledger; variance; payment status',
  sources: ['distrokid', 'toolost'],
  async range(env) {
    const l = await ledgerRange(env)
    const own = await ledgerDistributors(env)
    const s = own.length
      ? await env.db
          .selectFrom('streams_daily')
          .select([sql<string | null>`min(date)`.as('min'), sql<string | null>`max(date)`.as('max')])
          .where('distributor', 'in', own)
          .executeTakeFirst()
      : undefined
    const pick = (a: string | null | undefined, b: string | null, f: (x: string, y: string) => string) => (a && b ? f(a, b) : (a ?? b))
    const newest = (await ledgerBasis(env, kpiSettings().payment)).newestComplete
    return {
      min: pick(s?.min, l.min, (x, y) => (x < y ? x : y)),
      max: pick(s?.max, l.max, (x, y) => (x > y ? x : y)),
      completeTo: newest ? monthEnd(newest) : null,
    }
  },
  async compute(env, w) {
    const settings = kpiSettings()
    const own = await ledgerDistributors(env)
    const basis = await ledgerBasis(env, settings.payment)
    const { fromMonth, toMonth } = monthBounds(w)
    const streams = own.length
      ? await env.db
          .selectFrom('streams_daily')
          .select([
            sql<string>`substr(date, 1, 7)`.as('month'),
            'platform',
            sql<number>`sum(streams)`.as('streams'),
            sql<number>`count(distinct date)`.as('days'),
          ])
          .where('date', '>=', `${fromMonth}-01`)
          .where('date', '<=', monthEnd(toMonth))
          .where('distributor', 'in', own)
          .groupBy(['month', 'platform'])
          .execute()
      : []
    const ledger = new Map((await ledgerByMonth(env, fromMonth, toMonth)).map((r) => [r.month, r]))
    const months = [...new Set([...streams.map((r) => r.month), ...ledger.keys()])].sort()

    const series = months.map((month) => {
      const mine = streams.filter((r) => r.month === month)
      const byPlatform: Record<string, number> = {}
      for (const r of mine) byPlatform[r.platform] = (byPlatform[r.platform] ?? 0) + Number(r.streams)
      const expected = mine.length
        ? round(
            mine.reduce((s, r) => s + Number(r.streams) * rateFor(settings, r.platform), 0),
            6,
          )
        : null
      const line = ledger.get(month)
      const actual = line ? money(line.e8) : null
      const { month: _, complete, reason, ...pay } = basis.state(month)
      return {
        date: month,
        value: actual?.value ?? null,
        exact: actual?.exact ?? null,
        expected,
        variance: actual && expected !== null ? round(actual.value - expected, 6) : null,
        ...pay,
        complete,
        ...(complete ? {} : { incomplete: true as const, reason }),
        streams: byPlatform,
        streamDays: mine.length ? Math.max(...mine.map((r) => Number(r.days))) : 0,
      }
    })
    // Like for like: months that are complete and have both an expectation and a statement.
    const both = series.filter((r) => r.complete && r.variance !== null)
    const actualE8 = both.reduce((s, r) => s + (ledger.get(r.date)?.e8 ?? 0), 0)
    const expected = both.length
      ? round(
          both.reduce((s, r) => s + (r.expected ?? 0), 0),
          6,
        )
      : null
    const variance = both.length
      ? round(
          both.reduce((s, r) => s + (r.variance ?? 0), 0),
          6,
        )
      : null
    const open = series.filter((r) => !r.complete).map((r) => r.date)
    return {
      value: both.length ? money(actualE8).value : null,
      exact: both.length ? money(actualE8).exact : null,
      expected,
      variance,
      variancePct: variance !== null && expected ? round((variance / expected) * 100, 1) : null,
      comparedMonths: both.map((r) => r.date),
      distributors: own,
      ledgerAsOf: basis.asOf,
      estimated: true,
      rates: settings.rates,
      paymentDelayDays: settings.payment.delayDays,
      series,
      ...(open.length ? { incompleteMonths: open } : {}),
      note: both.length
        ? `${own.map(distributorName).join(', ')} streams × rates against the same ledger, over complete sale months ${both[0].date} … ${both.at(-1)!.date}${open.length ? `; ${open.join(', ')} not complete yet` : ''}.`
        : `No complete sale month with both streams and a statement in this window${open.length ? ` (${open.join(', ')} not complete yet)` : ''}.`,
    }
  },
})
