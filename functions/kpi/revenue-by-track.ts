/** KPI 14: ledger earnings per ISRC (with its title and artist), top 10; the rest summed beside them. */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { coverage, LEDGER_KPI, ledgerSums, ledgerTotal, moneyRow, topAndRest } from '../../lib/kpi/ledger.ts'

export default defineKpi({
  ...LEDGER_KPI,
  name: 'revenue-by-track',
  title: 'Revenue by track',
  unit: 'usd',
  description: 'per ISRC (title, artist): earnings, quantity; top 10',
  async compute(env, w) {
    // An ISRC is one track even when lines spell its title differently; one spelling is shown, stably.
    const rows = await ledgerSums(env, w, 'isrc', { title: sql`max(title)`, artist: sql`group_concat(distinct artist)` })
    const { totalE8, ...total } = ledgerTotal(rows)
    const { top, others } = topAndRest(rows, 10, 'tracks')
    return {
      ...(await coverage(env, w)),
      ...total,
      tracks: rows.length,
      breakdown: top.map((r) => ({ ...moneyRow(r, totalE8), title: r.title, artist: r.artist })),
      ...(others ? { others } : {}),
    }
  },
})
