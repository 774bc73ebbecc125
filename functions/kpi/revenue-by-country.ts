/** KPI 15: ledger earnings per country of sale (sale months in the window), top 10; the rest summed beside them. */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { ledgerRange, money, monthBounds } from '../../lib/kpi/queries.ts'

const TOP = 10

export default defineKpi({
  name: 'revenue-by-country',
  title: 'Revenue by country',
  unit: 'usd',
  description: 'per country of sale; top 10',
  sources: ['distrokid', 'toolost'],
  freshness: { warnDays: 45, staleDays: 75 },
  range: ledgerRange,
  async compute({ db }, w) {
    const { fromMonth, toMonth } = monthBounds(w)
    const rows = await db
      .selectFrom('revenue_lines')
      .select([
        'country',
        sql<number>`sum(earnings_e8)`.as('e8'),
        sql<number>`sum(quantity)`.as('quantity'),
        sql<number>`count(*)`.as('lines'),
      ])
      .where('sale_month', '>=', fromMonth)
      .where('sale_month', '<=', toMonth)
      .groupBy('country')
      .orderBy('e8', 'desc')
      .orderBy('country')
      .execute()
    const total = rows.reduce((s, r) => s + Number(r.e8), 0)
    const rest = rows.slice(TOP)
    const restE8 = rest.reduce((s, r) => s + Number(r.e8), 0)
    return {
      ...(rows.length ? { value: money(total).value, exact: money(total).exact } : { value: null }),
      countries: rows.length,
      breakdown: rows.slice(0, TOP).map((r) => ({
        key: r.country,
        value: money(r.e8).value,
        exact: money(r.e8).exact,
        quantity: Number(r.quantity),
        lines: Number(r.lines),
        share: total === 0 ? null : Number(r.e8) / total,
      })),
      ...(rest.length
        ? { others: { countries: rest.length, value: money(restE8).value, exact: money(restE8).exact } }
        : {}),
    }
  },
})
