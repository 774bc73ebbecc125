/**
 * @module Which sale months of the ledger are complete, learnt from the ledger's own history. Stores
 * report a sale month separately and late (DistroKid's Spotify lines arrive 53–59 days after the month
 * ends, Apple's within a month), so a month with some lines is not yet a month. For each store:
 *   usual     it earns ≥ 0.5 % of the ledger and reported at least half of the sale months since its
 *             first one (a store earning cents a year never holds a month open);
 *   arrival   the most days after a month's end its first line for a month has arrived.
 * A month M is complete once every usual store (active since before M) has reported it, or once a
 * missing store's arrival time has passed. Everything is judged at the ledger's as-of date (its newest
 * reporting date), never today's clock: an old export does not age into completeness.
 * Payment status follows the same facts: PAID when every usual store has reported M; otherwise from the
 * due date (M's end + the slowest usual store's arrival time) against the as-of date.
 */
import { sql } from 'kysely'
import type { KpiEnv } from './define.ts'
import { monthEnd } from './queries.ts'
import type { KpiSettings } from './settings.ts'
import { monthsBetween, type PaymentStatus } from './stats.ts'
import { addDays, daysBetween } from './window.ts'

const USUAL_SHARE = 0.005

export interface StoreHistory {
  store: string
  firstMonth: string
  months: string[]
  share: number
  /** Most days after a month's end that the store's first line for it arrived. */
  arrivalDays: number
  usual: boolean
}

export interface MonthState {
  month: string
  complete: boolean
  reason?: string
  status: PaymentStatus
  expectedPaymentDate: string
  daysUntilPayment: number
  reportedStores: string[]
  awaiting: string[]
}

export interface LedgerBasis {
  asOf: string | null
  stores: StoreHistory[]
  firstMonth: string | null
  lastMonth: string | null
  newestComplete: string | null
  state(month: string): MonthState
}

/** The ledger's completeness facts (for one distributor, or all together). */
export async function ledgerBasis(env: KpiEnv, payment: KpiSettings['payment'], distributor?: string): Promise<LedgerBasis> {
  let q = env.db
    .selectFrom('revenue_lines')
    .select([
      'store',
      'sale_month',
      sql<string>`min(reporting_date)`.as('first'),
      sql<string>`max(reporting_date)`.as('last'),
      sql<number>`sum(earnings_e8)`.as('e8'),
    ])
  if (distributor) q = q.where('distributor', '=', distributor)
  const rows = (await q.groupBy(['store', 'sale_month']).execute()).map((r) => ({ ...r, e8: Number(r.e8) }))
  const asOf =
    rows
      .map((r) => r.last)
      .sort()
      .at(-1) ?? null
  const allMonths = [...new Set(rows.map((r) => r.sale_month))].sort()
  const firstMonth = allMonths[0] ?? null
  const lastMonth = allMonths.at(-1) ?? null
  const totalE8 = rows.reduce((s, r) => s + Math.abs(r.e8), 0)

  const stores: StoreHistory[] = []
  for (const store of [...new Set(rows.map((r) => r.store))].sort()) {
    const own = rows.filter((r) => r.store === store).sort((a, b) => (a.sale_month < b.sale_month ? -1 : 1))
    const months = own.map((r) => r.sale_month)
    const span = monthsBetween(months[0], lastMonth!).length
    const share = totalE8 === 0 ? 0 : own.reduce((s, r) => s + Math.abs(r.e8), 0) / totalE8
    const arrivalDays = Math.max(...own.map((r) => daysBetween(monthEnd(r.sale_month), r.first)))
    stores.push({ store, firstMonth: months[0], months, share, arrivalDays, usual: share >= USUAL_SHARE && months.length * 2 >= span })
  }

  const state = (month: string): MonthState => {
    const reportedStores = stores.filter((s) => s.months.includes(month)).map((s) => s.store)
    const expected = stores.filter((s) => s.usual && s.firstMonth <= month)
    const awaiting = expected.filter((s) => !reportedStores.includes(s.store))
    const end = monthEnd(month)
    // Without history (a new ledger) the configured delay from the month's first day stands in.
    const fallback = addDays(`${month}-01`, payment.delayDays)
    const expectedPaymentDate = expected.length ? addDays(end, Math.max(...expected.map((s) => s.arrivalDays))) : fallback
    const judgeAt = asOf ?? end
    const daysUntilPayment = daysBetween(judgeAt, expectedPaymentDate)
    const lapsed = awaiting.filter((s) => addDays(end, s.arrivalDays) <= judgeAt)
    const waiting = awaiting.filter((s) => !lapsed.includes(s))
    const complete = asOf !== null && end <= asOf && waiting.length === 0 && (reportedStores.length > 0 || expected.length > 0)
    let status: PaymentStatus
    if (reportedStores.length && !awaiting.length) status = 'PAID'
    else if (daysUntilPayment < -payment.graceDays) status = 'OVERDUE'
    else if (daysUntilPayment <= 0) status = 'DUE'
    else if (daysUntilPayment <= payment.dueSoonDays) status = 'DUE_SOON'
    else status = 'PENDING'
    let reason: string | undefined
    if (!complete) {
      reason = waiting.length
        ? `${waiting.map((s) => s.store).join(', ')} ${waiting.length === 1 ? 'has' : 'have'} not reported ${month} yet (usually in by ${addDays(end, Math.max(...waiting.map((s) => s.arrivalDays)))}; ledger as of ${asOf ?? 'never'})`
        : asOf && end > asOf
          ? `${month} is still being sold (ledger as of ${asOf})`
          : `nothing reported for ${month} yet`
    }
    return {
      month,
      complete,
      ...(reason ? { reason } : {}),
      status,
      expectedPaymentDate,
      daysUntilPayment,
      reportedStores,
      awaiting: awaiting.map((s) => s.store),
    }
  }
  const newestComplete = allMonths.filter((m) => state(m).complete).at(-1) ?? null
  return { asOf, stores, firstMonth, lastMonth, newestComplete, state }
}

/** `{month, complete}` for every sale month a window touches (what a short window covers). */
export function monthsCovered(basis: LedgerBasis, fromMonth: string, toMonth: string) {
  return monthsBetween(fromMonth, toMonth).map((month) => {
    const s = basis.state(month)
    return { month, complete: s.complete, ...(s.reason ? { reason: s.reason } : {}) }
  })
}

/** Marks for a month's series point or breakdown row. */
export function monthMarks(basis: LedgerBasis, month: string): { incomplete?: true; reason?: string } {
  const s = basis.state(month)
  return s.complete ? {} : { incomplete: true, reason: s.reason }
}
