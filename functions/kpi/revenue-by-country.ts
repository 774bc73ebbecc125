/** KPI 15: ledger earnings per country of sale (sale months in the window), top 10; the rest summed beside them. */
import { defineKpi } from '../../lib/define.ts'
import { coverage, LEDGER_KPI, ledgerSums, ledgerTotal, moneyRow, topAndRest } from '../../lib/kpi/ledger.ts'

export default defineKpi({
  ...LEDGER_KPI,
  name: 'revenue-by-country',
  title: 'Revenue by country',
  unit: 'usd',
  description: 'per country of sale; top 10',
  async compute(env, w) {
    const rows = await ledgerSums(env, w, 'country')
    const { totalE8, ...total } = ledgerTotal(rows)
    const { top, others } = topAndRest(rows, 10, 'countries')
    return {
      ...(await coverage(env, w)),
      ...total,
      countries: rows.length,
      breakdown: top.map((r) => moneyRow(r, totalE8)),
      ...(others ? { others } : {}),
    }
  },
})
