/**
 * KPI 10: Σ ledger earnings (USD, exact) by sale month in the window, negative lines included. The value
 * is everything reported so far; the change compares complete sale months only (lib/kpi/complete-months):
 * the complete months of the window against as many complete months just before them. A sale month
 * still being reported (DistroKid's Spotify lines come ~2 months late) would read as a collapse.
 */
import { defineKpi } from '../../lib/define.ts'
import { monthMarks } from '../../lib/kpi/complete-months.ts'
import { LEDGER_KPI, ledgerSums, ledgerTotal, windowMonths } from '../../lib/kpi/ledger.ts'
import { money } from '../../lib/kpi/queries.ts'
import { change } from '../../lib/kpi/stats.ts'

export default defineKpi({
  ...LEDGER_KPI,
  name: 'revenue-total',
  title: 'Revenue',
  unit: 'usd',
  description: 'Σ Earnings (USD) over all ledger lines in the window by sale month (negative lines included)',
  async compute(env, w) {
    const months = (await ledgerSums(env, w, 'sale_month')).sort((a, b) => (a.key < b.key ? -1 : 1))
    const { totalE8: _, ...total } = ledgerTotal(months)
    const { months: covered, ledgerAsOf, basis } = await windowMonths(env, w)
    const complete = covered.filter((m) => m.complete).map((m) => m.month)
    // The previous period: the same number of complete sale months just before the window's first
    // complete one (null when the ledger holds fewer).
    const earlier = basis.firstMonth
      ? (await ledgerSums(env, { from: `${basis.firstMonth}-01`, to: `${complete[0] ?? covered[0]?.month ?? basis.firstMonth}-01` }, 'sale_month'))
          .filter((r) => r.key < (complete[0] ?? '') && basis.state(r.key).complete)
          .sort((a, b) => (a.key < b.key ? -1 : 1))
          .slice(-complete.length)
      : []
    const currentE8 = months.filter((r) => complete.includes(r.key)).reduce((s, r) => s + r.e8, 0)
    const current = complete.length ? money(currentE8).value : null
    const previous = complete.length && earlier.length === complete.length ? money(earlier.reduce((s, r) => s + r.e8, 0)).value : null
    const incomplete = covered.filter((m) => !m.complete && months.some((r) => r.key === m.month))
    return {
      ...total,
      previous,
      change: change(current, previous),
      comparedMonths: { current: complete, previous: earlier.map((r) => r.key), currentValue: current },
      quantity: months.reduce((s, r) => s + r.quantity, 0),
      lines: months.reduce((s, r) => s + r.lines, 0),
      months: covered,
      ledgerAsOf,
      series: months.map((r) => ({ date: r.key, value: money(r.e8).value, exact: money(r.e8).exact, quantity: r.quantity, ...monthMarks(basis, r.key) })),
      ...(incomplete.length ? { note: `${incomplete.map((m) => m.month).join(', ')} not complete yet: included in the total, left out of the change.` } : {}),
    }
  },
})
