/** KPI 10: Σ ledger earnings (USD, exact) by sale month in the window, negative lines included. */
import { defineKpi } from '../../lib/define.ts'
import { LEDGER_KPI, ledgerSums, ledgerTotal } from '../../lib/kpi/ledger.ts'
import { money, monthBounds, monthEnd } from '../../lib/kpi/queries.ts'
import { addMonths, change, monthsBetween } from '../../lib/kpi/stats.ts'

export default defineKpi({
  ...LEDGER_KPI,
  name: 'revenue-total',
  title: 'Revenue',
  unit: 'usd',
  description: 'Σ Earnings (USD) over all ledger lines in the window by sale month (negative lines included)',
  async compute(env, w) {
    const months = (await ledgerSums(env, w, 'sale_month')).sort((a, b) => (a.key < b.key ? -1 : 1))
    const { totalE8: _, ...total } = ledgerTotal(months)
    // The same number of sale months just before (null when the ledger has none of them): revenue is
    // monthly, so a day-based previous window would count a month on both sides.
    const { fromMonth, toMonth } = monthBounds(w)
    const n = monthsBetween(fromMonth, toMonth).length
    const before = { from: `${addMonths(fromMonth, -n)}-01`, to: monthEnd(addMonths(fromMonth, -1)) }
    const previous = ledgerTotal(await ledgerSums(env, before, 'sale_month')).value
    return {
      ...total,
      previous,
      change: change(total.value, previous),
      quantity: months.reduce((s, r) => s + r.quantity, 0),
      lines: months.reduce((s, r) => s + r.lines, 0),
      series: months.map((r) => ({ date: r.key, value: money(r.e8).value, exact: money(r.e8).exact, quantity: r.quantity })),
    }
  },
})
