/**
 * @module Calendar and statistics helpers the KPIs share: ISO weeks, months, the previous equal-length
 * window and the change against it, Pearson's r, and the payment-status rule for sale months.
 */
import { addDays, calendarDays, daysBetween, type Window } from './window.ts'
import type { KpiSettings } from './settings.ts'

/** ISO-8601 week key of a date, e.g. 2024-12-30 → `2025-W01` (weeks start on Monday; week 1 holds a Thursday). */
export function isoWeek(date: string): string {
  const thursday = addDays(isoWeekMonday(date), 3)
  const year = Number(thursday.slice(0, 4))
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1
  return `${year}-W${String(week).padStart(2, '0')}`
}

/** The Monday that starts the ISO week holding `date`. */
export function isoWeekMonday(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7 // Monday 0 … Sunday 6
  return addDays(date, -weekday)
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number)
  return new Date(Date.UTC(y, m, 0)).getUTCDate()
}

/** `2025-01` + 2 → `2025-03`. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number)
  const d = new Date(Date.UTC(y, m - 1 + n, 1))
  return d.toISOString().slice(0, 7)
}

/** Months from `fromMonth` to `toMonth`, both included. */
export function monthsBetween(fromMonth: string, toMonth: string): string[] {
  const out: string[] = []
  for (let m = fromMonth; m <= toMonth; m = addMonths(m, 1)) out.push(m)
  return out
}

/** The window of the same calendar length that ends the day before `w` starts. */
export function previousWindow(w: Window): Window {
  const n = calendarDays(w)
  return { from: addDays(w.from, -n), to: addDays(w.from, -1) }
}

/**
 * Relative change as a fraction ((current − previous) / |previous|); null when either side is not
 * reported or the previous is 0 (no denominator). Every KPI's `change` field means this.
 */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null
  return (current - previous) / Math.abs(previous)
}

/** The same as a percentage (growth %), null under the same conditions. */
export function growthPct(current: number | null, previous: number | null): number | null {
  const c = change(current, previous)
  return c === null ? null : c * 100
}

export function ratio(numerator: number | null, denominator: number | null): number | null {
  if (numerator === null || denominator === null || denominator === 0) return null
  return numerator / denominator
}

export function round(x: number | null, digits: number): number | null {
  if (x === null || !Number.isFinite(x)) return null
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** Pearson's r of paired samples; null when there are fewer than 3 pairs or either side is constant. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length)
  if (n < 3) return null
  let mx = 0
  let my = 0
  for (let i = 0; i < n; i++) {
    mx += xs[i]
    my += ys[i]
  }
  mx /= n
  my /= n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx
    const dy = ys[i] - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  if (sxx === 0 || syy === 0) return null
  return sxy / Math.sqrt(sxx * syy)
}

export type PaymentStatus = 'PAID' | 'DUE' | 'DUE_SOON' | 'PENDING' | 'OVERDUE'

/**
 * The payment rule for a sale month M (`YYYY-MM`). Its expected payment date D is the first day of M
 * plus `delayDays` (default 60: the original's rule, which DistroKid's 1–2 month reporting lag fits).
 *   PAID      the ledger holds at least one line for M (statements for it have arrived; a month that is
 *             only partly reported shows that through its variance, not its status)
 * otherwise, nothing is reported for M yet, and with today T:
 *   OVERDUE   T > D + graceDays                      (default 30 days late)
 *   DUE       D ≤ T ≤ D + graceDays
 *   DUE_SOON  T < D ≤ T + dueSoonDays                (default within 30 days)
 *   PENDING   D > T + dueSoonDays
 * `daysUntilPayment` is D − T (negative once D has passed).
 */
export function paymentStatus(month: string, reported: boolean, today: string, p: KpiSettings['payment']) {
  const expectedPaymentDate = addDays(`${month}-01`, p.delayDays)
  const daysUntilPayment = daysBetween(today, expectedPaymentDate)
  let status: PaymentStatus
  if (reported) status = 'PAID'
  else if (daysUntilPayment < -p.graceDays) status = 'OVERDUE'
  else if (daysUntilPayment <= 0) status = 'DUE'
  else if (daysUntilPayment <= p.dueSoonDays) status = 'DUE_SOON'
  else status = 'PENDING'
  return { status, expectedPaymentDate, daysUntilPayment }
}

/** A sale month whose statements should all be in by `today` (its expected payment date has passed). */
export function monthIsDue(month: string, today: string, p: KpiSettings['payment']): boolean {
  return addDays(`${month}-01`, p.delayDays) <= today
}
