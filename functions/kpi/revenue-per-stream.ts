/**
 * KPI 16: ledger earnings per unit over streaming stores only (downloads and ad views are not streams:
 * lib/names isStreamingStore), overall and per store. Sums are exact; the ratio is for display.
 */
import { defineKpi } from '../../lib/define.ts'
import { LEDGER_KPI, ledgerSums } from '../../lib/kpi/ledger.ts'
import { money } from '../../lib/kpi/queries.ts'
import { isStreamingStore } from '../../lib/names.ts'

export default defineKpi({
  ...LEDGER_KPI,
  name: 'revenue-per-stream',
  title: 'Revenue per stream',
  unit: 'usd',
  description: 'Σ earnings / Σ quantity over streaming stores; per store too',
  async compute(env, w) {
    const rows = (await ledgerSums(env, w, 'store')).map((r) => ({ ...r, store: r.key }))
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
