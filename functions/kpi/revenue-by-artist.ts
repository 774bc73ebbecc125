/** KPI 13: ledger earnings per artist (sale months in the window): earnings, quantity, stores; top artist. */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { ledgerRange, money, monthBounds, shares } from '../../lib/kpi/queries.ts'

export default defineKpi({
  name: 'revenue-by-artist',
  title: 'Revenue by artist',
  unit: 'usd',
  description: 'per artist: earnings, quantity, stores; top artist',
  sources: ['distrokid', 'toolost'],
  freshness: { warnDays: 45, staleDays: 75 },
  range: ledgerRange,
  async compute({ db }, w) {
    const { fromMonth, toMonth } = monthBounds(w)
    const rows = await db
      .selectFrom('revenue_lines')
      .select([
        'artist',
        sql<number>`sum(earnings_e8)`.as('e8'),
        sql<number>`sum(quantity)`.as('quantity'),
        sql<number>`count(*)`.as('lines'),
        sql<number>`count(distinct store)`.as('stores'),
      ])
      .where('sale_month', '>=', fromMonth)
      .where('sale_month', '<=', toMonth)
      .groupBy('artist')
      .orderBy('e8', 'desc')
      .execute()
    const total = rows.reduce((s, r) => s + Number(r.e8), 0)
    const breakdown = shares(
      rows.map((r) => ({
        key: r.artist,
        value: money(r.e8).value,
        exact: money(r.e8).exact,
        quantity: Number(r.quantity),
        lines: Number(r.lines),
        stores: Number(r.stores),
      })),
    )
    return {
      ...(rows.length ? { value: money(total).value, exact: money(total).exact } : { value: null }),
      top: breakdown[0]?.key ?? null,
      artists: breakdown.length,
      breakdown,
    }
  },
})
