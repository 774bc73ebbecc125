/** KPI 12: ledger earnings, quantity and earnings per unit per store, in the window by sale month. */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { coverage, LEDGER_KPI, ledgerSums, ledgerTotal, moneyRow } from '../../lib/kpi/ledger.ts'

export default defineKpi({
  ...LEDGER_KPI,
  name: 'revenue-by-store',
  title: 'Revenue by store',
  unit: 'usd',
  description: 'per store: earnings, quantity, earnings per unit',
  async compute(env, w) {
    const rows = await ledgerSums(env, w, 'store', { platform: sql`max(platform)` })
    const { totalE8, ...total } = ledgerTotal(rows)
    return {
      ...(await coverage(env, w)),
      ...total,
      breakdown: rows.map((r) => {
        const row = moneyRow(r, totalE8)
        return { ...row, platform: r.platform, perUnit: r.quantity === 0 ? null : row.value / r.quantity }
      }),
    }
  },
})
