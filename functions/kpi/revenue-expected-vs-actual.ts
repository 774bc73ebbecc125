/**
 * KPI 18: per sale month, expected revenue = distributor streams of that month × the platform's rate
 * (settings: Spotify 0.002274, Apple 0.005771, anything else 0.002486 USD) — an estimate; actual = the
 * ledger's exact earnings for that sale month (null while nothing is reported, never 0); variance =
 * actual − expected; payment status from the rule in lib/kpi/stats.ts paymentStatus (delay 60 days).
 * Months are the whole calendar months the window touches that hold streams or ledger lines.
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import {
  ledgerByMonth,
  ledgerRange,
  money,
  monthBounds,
  monthEnd,
  streamsRange,
} from '../../lib/kpi/queries.ts'
import { kpiSettings, rateFor } from '../../lib/kpi/settings.ts'
import { paymentStatus, round } from '../../lib/kpi/stats.ts'

export default defineKpi({
  name: 'revenue-expected-vs-actual',
  title: 'Revenue: expected vs actual',
  unit: 'usd',
  description:
    'per month: expected = distributor streams × per-platform rate (estimated); actual = ledger; variance; payment status',
  sources: ['distrokid', 'toolost'],
  async range(env) {
    const [s, l] = [await streamsRange(env), await ledgerRange(env)]
    const pick = (a: string | null, b: string | null, f: (x: string, y: string) => string) =>
      a && b ? f(a, b) : (a ?? b)
    return {
      min: pick(s.min, l.min, (x, y) => (x < y ? x : y)),
      max: pick(s.max, l.max, (x, y) => (x > y ? x : y)),
    }
  },
  async compute(env, w) {
    const settings = kpiSettings()
    const { fromMonth, toMonth } = monthBounds(w)
    const streams = await env.db
      .selectFrom('streams_daily')
      .select([
        sql<string>`substr(date, 1, 7)`.as('month'),
        'platform',
        sql<number>`sum(streams)`.as('streams'),
        sql<number>`count(distinct date)`.as('days'),
      ])
      .where('date', '>=', `${fromMonth}-01`)
      .where('date', '<=', monthEnd(toMonth))
      .groupBy(['month', 'platform'])
      .execute()
    const ledger = new Map((await ledgerByMonth(env, fromMonth, toMonth)).map((r) => [r.month, r]))
    const months = [...new Set([...streams.map((r) => r.month), ...ledger.keys()])].sort()

    const series = months.map((month) => {
      const own = streams.filter((r) => r.month === month)
      const byPlatform: Record<string, number> = {}
      for (const r of own) byPlatform[r.platform] = (byPlatform[r.platform] ?? 0) + Number(r.streams)
      const expected = own.length
        ? round(
            own.reduce((s, r) => s + Number(r.streams) * rateFor(settings, r.platform), 0),
            6,
          )
        : null
      const line = ledger.get(month)
      const actual = line ? money(line.e8) : null
      const pay = paymentStatus(month, Boolean(line), env.today, settings.payment)
      return {
        date: month,
        value: actual?.value ?? null,
        exact: actual?.exact ?? null,
        expected,
        variance: actual && expected !== null ? round(actual.value - expected, 6) : null,
        ...pay,
        streams: byPlatform,
        streamDays: own.length ? Math.max(...own.map((r) => Number(r.days))) : 0,
      }
    })
    const actualE8 = [...ledger.values()].reduce((s, r) => s + r.e8, 0)
    const both = series.filter((r) => r.variance !== null)
    return {
      value: ledger.size ? money(actualE8).value : null,
      exact: ledger.size ? money(actualE8).exact : null,
      expected: series.some((r) => r.expected !== null)
        ? round(
            series.reduce((s, r) => s + (r.expected ?? 0), 0),
            6,
          )
        : null,
      variance: both.length
        ? round(
            both.reduce((s, r) => s + (r.variance ?? 0), 0),
            6,
          )
        : null,
      estimated: true,
      rates: settings.rates,
      paymentDelayDays: settings.payment.delayDays,
      series,
    }
  },
})
