/**
 * KPI 17: months from a line's sale month to its reporting date, (reporting year − sale year) × 12 +
 * (reporting month − sale month), over the ledger lines of the sale months in the window: mean and mode
 * over lines (the original's per-row rule), and the distribution of lines and of earnings per lag.
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { LEDGER_KPI } from '../../lib/kpi/ledger.ts'
import { money, monthBounds } from '../../lib/kpi/queries.ts'

const LAG = sql<number>`(cast(substr(reporting_date, 1, 4) as integer) - cast(substr(sale_month, 1, 4) as integer)) * 12
  + cast(substr(reporting_date, 6, 2) as integer) - cast(substr(sale_month, 6, 2) as integer)`

export default defineKpi({
  ...LEDGER_KPI,
  name: 'payment-lag',
  title: 'Payment lag',
  unit: 'months',
  description: 'months from sale month to reporting date: mean, mode, distribution',
  async compute({ db }, w) {
    const { fromMonth, toMonth } = monthBounds(w)
    const rows = (
      await db
        .selectFrom('revenue_lines')
        .select([LAG.as('lag'), sql<number>`count(*)`.as('lines'), sql<number>`sum(earnings_e8)`.as('e8')])
        .where('sale_month', '>=', fromMonth)
        .where('sale_month', '<=', toMonth)
        .groupBy('lag')
        .orderBy('lag')
        .execute()
    ).map((r) => ({ lag: Number(r.lag), lines: Number(r.lines), e8: Number(r.e8) }))
    const lines = rows.reduce((s, r) => s + r.lines, 0)
    const e8 = rows.reduce((s, r) => s + r.e8, 0)
    if (!lines) return { value: null, note: 'no ledger lines for the sale months in the window' }
    // Ties go to the shorter lag: rows are ordered by lag and only a strictly larger count replaces.
    const mode = rows.reduce((best, r) => (r.lines > best.lines ? r : best), rows[0]).lag
    return {
      value: rows.reduce((s, r) => s + r.lag * r.lines, 0) / lines,
      mode,
      lines,
      breakdown: rows.map((r) => ({
        key: String(r.lag),
        months: r.lag,
        value: r.lines / lines,
        unit: 'share of lines',
        lines: r.lines,
        earnings: money(r.e8).value,
        earningsShare: e8 === 0 ? null : r.e8 / e8,
      })),
    }
  },
})
