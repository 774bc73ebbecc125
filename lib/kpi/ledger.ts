/**
 * @module What every ledger KPI shares: its sources and freshness (monthly statements), the range, and
 * the grouped sums over the sale months in the window — exact e8 sums, quantity and line counts.
 */
import { sql, type Expression, type SqlBool } from 'kysely'
import { ledgerBasis, monthsCovered, type LedgerBasis } from './complete-months.ts'
import type { KpiEnv } from './define.ts'
import { ledgerRange, money, monthBounds, monthEnd } from './queries.ts'
import { kpiSettings } from './settings.ts'
import type { Window } from './window.ts'

const bases = new WeakMap<KpiEnv, Promise<LedgerBasis>>()

/** The ledger's completeness facts, computed once per KPI evaluation (range and compute share it). */
export function basisOf(env: KpiEnv): Promise<LedgerBasis> {
  let b = bases.get(env)
  if (!b) bases.set(env, (b = ledgerBasis(env, kpiSettings().payment)))
  return b
}

/** Ledger coverage; a window of N days ends by default at the end of the newest complete sale month. */
export async function ledgerKpiRange(env: KpiEnv) {
  const r = await ledgerRange(env)
  const newest = (await basisOf(env)).newestComplete
  return { ...r, completeTo: newest ? monthEnd(newest) : null }
}

/** Spread into a ledger KPI's definition. Statements are monthly: stale only past ~2.5 months. */
export const LEDGER_KPI = {
  sources: ['distrokid', 'toolost'],
  freshness: { warnDays: 45, staleDays: 75 },
  range: ledgerKpiRange,
}

/** What a ledger KPI says about its window: the sale months it covers, whether each is complete, the as-of date. */
export async function windowMonths(env: KpiEnv, w: Window) {
  const basis = await basisOf(env)
  const { fromMonth, toMonth } = monthBounds(w)
  const months = monthsCovered(basis, fromMonth, toMonth).filter(
    (m) => basis.firstMonth !== null && m.month >= basis.firstMonth && m.month <= (basis.lastMonth ?? m.month),
  )
  return { months, ledgerAsOf: basis.asOf, basis }
}

type GroupColumn = 'store' | 'platform' | 'artist' | 'country' | 'isrc' | 'sale_month'

export interface LedgerSum {
  key: string
  e8: number
  quantity: number
  lines: number
  /** Extra aggregates asked for by name. */
  [extra: string]: string | number
}

/**
 * Σ earnings, quantity and lines per `column` over the sale months in the window, biggest first (ties
 * by key, so the order is stable). `extra` adds aggregates such as `max(title)`.
 */
export async function ledgerSums(
  { db }: KpiEnv,
  w: Window,
  column: GroupColumn,
  extra: Record<string, Expression<unknown>> = {},
  where?: Expression<SqlBool>,
): Promise<LedgerSum[]> {
  const { fromMonth, toMonth } = monthBounds(w)
  let q = db
    .selectFrom('revenue_lines')
    .select([
      sql<string>`${sql.ref(column)}`.as('key'),
      sql<number>`sum(earnings_e8)`.as('e8'),
      sql<number>`sum(quantity)`.as('quantity'),
      sql<number>`count(*)`.as('lines'),
      ...Object.entries(extra).map(([name, e]) => sql`${e}`.as(name)),
    ])
    .where('sale_month', '>=', fromMonth)
    .where('sale_month', '<=', toMonth)
  if (where) q = q.where(where)
  const rows = (await q.groupBy(column).orderBy('e8', 'desc').orderBy('key').execute()) as Record<string, unknown>[]
  return rows.map((r) => {
    const out: LedgerSum = { key: String(r.key), e8: Number(r.e8), quantity: Number(r.quantity), lines: Number(r.lines) }
    for (const name of Object.keys(extra)) out[name] = r[name] as string | number
    return out
  })
}

/** The envelope's value for a set of sums: the exact total, or null when no line fell in the window. */
export function ledgerTotal(rows: LedgerSum[]) {
  const total = rows.reduce((s, r) => s + r.e8, 0)
  return rows.length ? { value: money(total).value, exact: money(total).exact, totalE8: total } : { value: null, totalE8: 0 }
}

/** One breakdown row: money both as a number and as exact text, with its share of `totalE8`. */
export function moneyRow(r: LedgerSum, totalE8: number) {
  const m = money(r.e8)
  return { key: r.key, value: m.value, exact: m.exact, quantity: r.quantity, lines: r.lines, share: totalE8 === 0 ? null : r.e8 / totalE8 }
}

/** The top `n` rows, and the rest summed beside them (`others`), as the top-10 KPIs show. */
export function topAndRest(rows: LedgerSum[], n: number, noun: string) {
  const rest = rows.slice(n)
  const restE8 = rest.reduce((s, r) => s + r.e8, 0)
  return {
    top: rows.slice(0, n),
    others: rest.length ? { [noun]: rest.length, value: money(restE8).value, exact: money(restE8).exact } : undefined,
  }
}

/** Envelope fields for a ledger breakdown: the months covered and a plain note when some are unfinished. */
export async function coverage(env: KpiEnv, w: Window) {
  const { months, ledgerAsOf } = await windowMonths(env, w)
  const open = months.filter((m) => !m.complete).map((m) => m.month)
  return {
    months,
    ledgerAsOf,
    ...(open.length
      ? { incompleteMonths: open, note: `Sale month${open.length > 1 ? 's' : ''} ${open.join(', ')} not complete yet: figures will grow as stores report.` }
      : {}),
  }
}
