/** KPI 12: ledger earnings, quantity and earnings per unit per store, in the window by sale month. */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { ledgerRange, money, monthBounds } from '../../lib/kpi/queries.ts'

export default defineKpi({
  name: 'revenue-by-store',
  title: 'Revenue by store',
  unit: 'usd',
  description: 'per store: earnings, quantity, earnings per unit',
  sources: ['distrokid'],
  freshness: { warnDays: 45, staleDays: 75 },
  range: ledgerRange,
  async compute({ db }, w) {
    const { fromMonth, toMonth } = monthBounds(w)
    const rows = await db
      .selectFrom('revenue_lines')
      .select(['store', 'platform', sql<number>`sum(earnings_e8)`.as('e8'), sql<number>`sum(quantity)`.as('quantity'), sql<number>`count(*)`.as('lines')])
      .where('sale_month', '>=', fromMonth)
      .where('sale_month', '<=', toMonth)
      .groupBy(['store', 'platform'])
      .orderBy('e8', 'desc')
      .execute()
    const total = rows.reduce((s, r) => s + Number(r.e8), 0)
    return {
      value: rows.length ? money(total).value : null,
      breakdown: rows.map((r) => {
        const q = Number(r.quantity)
        const m = money(r.e8)
        return { key: r.store, platform: r.platform, value: m.value, exact: m.exact, quantity: q, lines: Number(r.lines), perUnit: q === 0 ? null : m.value / q }
      }),
    }
  },
})
