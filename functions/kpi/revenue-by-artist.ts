/** KPI 13: ledger earnings per artist (sale months in the window): earnings, quantity, stores; top artist. */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { coverage, LEDGER_KPI, ledgerSums, ledgerTotal, moneyRow } from '../../lib/kpi/ledger.ts'

export default defineKpi({
  ...LEDGER_KPI,
  name: 'revenue-by-artist',
  title: 'Revenue by artist',
  unit: 'usd',
  description: 'per artist: earnings, quantity, stores; top artist',
  async compute(env, w) {
    const rows = await ledgerSums(env, w, 'artist', { stores: sql`count(distinct store)` })
    const { totalE8, ...total } = ledgerTotal(rows)
    const breakdown = rows.map((r) => ({ ...moneyRow(r, totalE8), stores: Number(r.stores) }))
    return {
      ...(await coverage(env, w)),
      ...total,
      top: breakdown[0]?.key ?? null,
      artists: breakdown.length,
      breakdown,
    }
  },
})
