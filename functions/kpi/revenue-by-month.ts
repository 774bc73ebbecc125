/**
 * KPI 11: ledger earnings per sale month (series) and per reporting month (breakdown). The window
 * selects months: sale months overlapping it for the series, months of the reporting date for the
 * breakdown. Negative lines (reversals) are included; sums are exact. Sale months still being reported
 * and the reporting month the ledger is cut in are marked `incomplete` with the reason.
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { monthMarks } from '../../lib/kpi/complete-months.ts'
import { coverage, LEDGER_KPI, windowMonths } from '../../lib/kpi/ledger.ts'
import { ledgerByMonth, money, monthBounds, monthEnd } from '../../lib/kpi/queries.ts'

export default defineKpi({
  ...LEDGER_KPI,
  name: 'revenue-by-month',
  title: 'Revenue by month',
  unit: 'usd',
  description: 'per sale month (series) and per reporting month (breakdown)',
  async compute(env, w) {
    const { fromMonth, toMonth } = monthBounds(w)
    const sale = await ledgerByMonth(env, fromMonth, toMonth)
    const reporting = await env.db
      .selectFrom('revenue_lines')
      .select([
        sql<string>`substr(reporting_date, 1, 7)`.as('month'),
        sql<number>`sum(earnings_e8)`.as('e8'),
        sql<number>`sum(quantity)`.as('quantity'),
        sql<number>`count(*)`.as('lines'),
      ])
      .where('reporting_date', '>=', `${fromMonth}-01`)
      .where('reporting_date', '<=', monthEnd(toMonth))
      .groupBy('month')
      .orderBy('month')
      .execute()
    const total = sale.reduce((s, r) => s + r.e8, 0)
    const { basis } = await windowMonths(env, w)
    const asOf = basis.asOf
    return {
      ...(await coverage(env, w)),
      ...(sale.length ? { value: money(total).value, exact: money(total).exact } : { value: null }),
      series: sale.map((r) => ({
        date: r.month,
        value: money(r.e8).value,
        exact: money(r.e8).exact,
        quantity: r.quantity,
        lines: r.lines,
        ...monthMarks(basis, r.month),
      })),
      breakdown: reporting.map((r) => ({
        key: r.month,
        basis: 'reporting month',
        value: money(r.e8).value,
        exact: money(r.e8).exact,
        quantity: Number(r.quantity),
        lines: Number(r.lines),
        // The reporting month holding the as-of date is cut at that date (later lines are not in yet).
        ...(asOf && r.month === asOf.slice(0, 7) && asOf < monthEnd(r.month) ? { incomplete: true, reason: `reported through ${asOf} only` } : {}),
      })),
    }
  },
})
