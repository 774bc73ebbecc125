/**
 * KPI 16: ledger earnings per unit over streaming stores only (downloads and ad views are not streams:
 * lib/names isStreamingStore), overall and per store, over the complete sale months of the window. A
 * month still being reported holds the early stores' lines without Spotify's, whose rate is the lowest,
 * so it would read far too high; with no complete month in the window the value is null, said why.
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { coverage, LEDGER_KPI, ledgerSums } from '../../lib/kpi/ledger.ts'
import { money } from '../../lib/kpi/queries.ts'
import { isStreamingStore } from '../../lib/names.ts'

export default defineKpi({
  ...LEDGER_KPI,
  name: 'revenue-per-stream',
  title: 'Revenue per stream',
  unit: 'usd',
  description: 'Σ earnings / Σ quantity over streaming stores; per store too',
  async compute(env, w) {
    const cover = await coverage(env, w)
    const complete = cover.months.filter((m) => m.complete).map((m) => m.month)
    if (!complete.length) {
      return {
        value: null,
        ...cover,
        note: `No complete sale month in this window yet (${cover.months.map((m) => m.month).join(', ') || 'none'}): a rate from unfinished months would mislead.`,
      }
    }
    const rows = (await ledgerSums(env, w, 'store', {}, sql<boolean>`sale_month in (${sql.join(complete)})`)).map((r) => ({ ...r, store: r.key }))
    const streaming = rows.filter((r) => isStreamingStore(r.store))
    const e8 = streaming.reduce((s, r) => s + Number(r.e8), 0)
    const quantity = streaming.reduce((s, r) => s + Number(r.quantity), 0)
    const perUnit = (units: number, q: number) => (q === 0 ? null : money(units).value / q)
    return {
      value: perUnit(e8, quantity),
      earnings: money(e8).value,
      streams: quantity,
      ...cover,
      basedOnMonths: complete,
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
      ...(cover.incompleteMonths
        ? { note: `Based on complete sale months ${complete.join(', ')}; ${cover.incompleteMonths.join(', ')} left out until complete.` }
        : {}),
    }
  },
})
