/**
 * KPI 16: ledger earnings per unit over streaming stores only (downloads and ad views are not streams:
 * lib/names isStreamingStore), overall and per store. Sums are exact; the ratio is for display.
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { ledgerRange, money, monthBounds } from '../../lib/kpi/queries.ts'
import { isStreamingStore } from '../../lib/names.ts'

export default defineKpi({
  name: 'revenue-per-stream',
  title: 'Revenue per stream',
  unit: 'usd',
  description: 'Σ earnings / Σ quantity over streaming stores; per store too',
  sources: ['distrokid', 'toolost'],
  freshness: { warnDays: 45, staleDays: 75 },
  range: ledgerRange,
  async compute({ db }, w) {
    const { fromMonth, toMonth } = monthBounds(w)
    const rows = await db
      .selectFrom('revenue_lines')
      .select(['store', sql<number>`sum(earnings_e8)`.as('e8'), sql<number>`sum(quantity)`.as('quantity')])
      .where('sale_month', '>=', fromMonth)
      .where('sale_month', '<=', toMonth)
      .groupBy('store')
      .execute()
    const streaming = rows.filter((r) => isStreamingStore(r.store))
    const e8 = streaming.reduce((s, r) => s + Number(r.e8), 0)
    const quantity = streaming.reduce((s, r) => s + Number(r.quantity), 0)
    const perUnit = (units: number, q: number) => (q === 0 ? null : money(units).value / q)
    return {
      value: perUnit(e8, quantity),
      earnings: money(e8).value,
      streams: quantity,
      breakdown: streaming
        .map((r) => ({
          key: r.store,
          value: perUnit(Number(r.e8), Number(r.quantity)),
          earnings: money(r.e8).value,
          streams: Number(r.quantity),
        }))
        .sort((a, b) => b.streams - a.streams || a.key.localeCompare(b.key)),
      excludedStores: rows
        .filter((r) => !isStreamingStore(r.store))
        .map((r) => r.store)
        .sort(),
    }
  },
})
