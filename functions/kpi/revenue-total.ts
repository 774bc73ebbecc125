/** KPI 10: Σ ledger earnings (USD, exact) by sale month in the window, negative lines included. */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { ledgerRange, money, monthBounds } from '../../lib/kpi/queries.ts'

export default defineKpi({
  name: 'revenue-total',
  title: 'Revenue',
  unit: 'usd',
  description: 'Σ Earnings (USD) over all ledger lines in the window by sale month (negative lines included)',
  sources: ['distrokid'],
  freshness: { warnDays: 45, staleDays: 75 },
  range: ledgerRange,
  async compute({ db }, w) {
    const { fromMonth, toMonth } = monthBounds(w)
    const rows = await db
      .selectFrom('revenue_lines')
      .select(['sale_month', sql<number>`sum(earnings_e8)`.as('e8'), sql<number>`sum(quantity)`.as('quantity'), sql<number>`count(*)`.as('lines')])
      .where('sale_month', '>=', fromMonth)
      .where('sale_month', '<=', toMonth)
      .groupBy('sale_month')
      .orderBy('sale_month')
      .execute()
    const total = rows.reduce((s, r) => s + Number(r.e8), 0)
    return {
      ...(rows.length ? { value: money(total).value, exact: money(total).exact } : { value: null }),
      quantity: rows.reduce((s, r) => s + Number(r.quantity), 0),
      lines: rows.reduce((s, r) => s + Number(r.lines), 0),
      series: rows.map((r) => ({ date: r.sale_month, value: money(r.e8).value, exact: money(r.e8).exact, quantity: Number(r.quantity) })),
    }
  },
})
