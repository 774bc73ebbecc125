/**
 * KPI 17: months from a line's sale month to its reporting date, (reporting year − sale year) × 12 +
 * (reporting month − sale month), over the ledger lines of the complete sale months in the window: mean
 * and mode over lines (the original's per-row rule), and the distribution of lines and of earnings per
 * lag. A month still being reported only holds its fastest lines, so it would shorten the lag; it is
 * left out. The value is rounded for display (`mean` keeps the exact figure).
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { coverage, LEDGER_KPI } from '../../lib/kpi/ledger.ts'
import { money } from '../../lib/kpi/queries.ts'
import { round } from '../../lib/kpi/stats.ts'

const LAG = sql<number>`(cast(substr(reporting_date, 1, 4) as integer) - cast(substr(sale_month, 1, 4) as integer)) * 12
  + cast(substr(reporting_date, 6, 2) as integer) - cast(substr(sale_month, 6, 2) as integer)`

export default defineKpi({
  ...LEDGER_KPI,
  name: 'payment-lag',
  title: 'Payment lag',
  unit: 'months',
  description: 'months from sale month to reporting date: mean, mode, distribution',
  async compute(env, w) {
    const cover = await coverage(env, w)
    const complete = cover.months.filter((m) => m.complete).map((m) => m.month)
    if (!complete.length) {
      return {
        value: null,
        ...cover,
        note: `No complete sale month in this window yet (${cover.months.map((m) => m.month).join(', ') || 'none'}): its lines are still arriving.`,
      }
    }
    const rows = (
      await env.db
        .selectFrom('revenue_lines')
        .select([LAG.as('lag'), sql<number>`count(*)`.as('lines'), sql<number>`sum(earnings_e8)`.as('e8')])
        .where('sale_month', 'in', complete)
        .groupBy('lag')
        .orderBy('lag')
        .execute()
    ).map((r) => ({ lag: Number(r.lag), lines: Number(r.lines), e8: Number(r.e8) }))
    const lines = rows.reduce((s, r) => s + r.lines, 0)
    const e8 = rows.reduce((s, r) => s + r.e8, 0)
    if (!lines) return { value: null, ...cover, note: 'No ledger lines for the complete sale months in this window.' }
    // Ties go to the shorter lag: rows are ordered by lag and only a strictly larger count replaces.
    const mode = rows.reduce((best, r) => (r.lines > best.lines ? r : best), rows[0]).lag
    const mean = rows.reduce((s, r) => s + r.lag * r.lines, 0) / lines
    return {
      value: round(mean, 2),
      mean,
      mode,
      lines,
      ...cover,
      basedOnMonths: complete,
      display: `${round(mean, 1)} months on average (usually ${mode})`,
      breakdown: rows.map((r) => ({
        key: String(r.lag),
        months: r.lag,
        value: r.lines / lines,
        unit: 'share of lines',
        lines: r.lines,
        earnings: money(r.e8).value,
        earningsShare: e8 === 0 ? null : r.e8 / e8,
      })),
      ...(cover.incompleteMonths
        ? { note: `Based on complete sale months ${complete.join(', ')}; ${cover.incompleteMonths.join(', ')} left out until complete.` }
        : {}),
    }
  },
})
