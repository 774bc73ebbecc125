/** KPI 14: ledger earnings per ISRC (with its title and artist), top 10; the rest summed beside them. */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { ledgerRange, money, monthBounds } from '../../lib/kpi/queries.ts'

const TOP = 10

export default defineKpi({
  name: 'revenue-by-track',
  title: 'Revenue by track',
  unit: 'usd',
  description: 'per ISRC (title, artist): earnings, quantity; top 10',
  sources: ['distrokid', 'toolost'],
  freshness: { warnDays: 45, staleDays: 75 },
  range: ledgerRange,
  async compute({ db }, w) {
    const { fromMonth, toMonth } = monthBounds(w)
    // An ISRC is one track even when lines spell its title differently; one spelling is shown, stably.
    const rows = await db
      .selectFrom('revenue_lines')
      .select([
        'isrc',
        sql<string>`max(title)`.as('title'),
        sql<string>`group_concat(distinct artist)`.as('artist'),
        sql<number>`sum(earnings_e8)`.as('e8'),
        sql<number>`sum(quantity)`.as('quantity'),
        sql<number>`count(*)`.as('lines'),
      ])
      .where('sale_month', '>=', fromMonth)
      .where('sale_month', '<=', toMonth)
      .groupBy('isrc')
      .orderBy('e8', 'desc')
      .orderBy('isrc')
      .execute()
    const total = rows.reduce((s, r) => s + Number(r.e8), 0)
    const rest = rows.slice(TOP)
    const restE8 = rest.reduce((s, r) => s + Number(r.e8), 0)
    return {
      ...(rows.length ? { value: money(total).value, exact: money(total).exact } : { value: null }),
      tracks: rows.length,
      breakdown: rows.slice(0, TOP).map((r) => ({
        key: r.isrc,
        title: r.title,
        artist: r.artist,
        value: money(r.e8).value,
        exact: money(r.e8).exact,
        quantity: Number(r.quantity),
        lines: Number(r.lines),
        share: total === 0 ? null : Number(r.e8) / total,
      })),
      ...(rest.length
        ? { others: { tracks: rest.length, value: money(restE8).value, exact: money(restE8).exact } }
        : {}),
    }
  },
})
