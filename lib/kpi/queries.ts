/**
 * @module Warehouse queries several KPIs share. Distributor streams (DistroKid + TooLost, all platforms)
 * are the platform totals; Spotify-for-Artists numbers live in their own tables and are never added in
 * here (the double-count rule). Series are aggregated by date first, across every distributor.
 */
import { sql } from 'kysely'
import { formatE8, e8ToNumber } from '../money.ts'
import type { KpiEnv } from './define.ts'
import type { Window } from './window.ts'

export async function streamsRange({ db }: KpiEnv) {
  const r = await db.selectFrom('streams_daily').select((eb) => [eb.fn.min('date').as('min'), eb.fn.max('date').as('max')]).executeTakeFirst()
  return { min: (r?.min as string | null) ?? null, max: (r?.max as string | null) ?? null }
}

/** Σ streams per calendar date in the window, all distributors and platforms together. */
export async function dailyStreams({ db }: KpiEnv, w: Window) {
  const rows = await db
    .selectFrom('streams_daily')
    .select(['date', sql<number>`sum(streams)`.as('value')])
    .where('date', '>=', w.from)
    .where('date', '<=', w.to)
    .groupBy('date')
    .orderBy('date')
    .execute()
  return rows.map((r) => ({ date: r.date, value: Number(r.value) }))
}

export async function streamsBy({ db }: KpiEnv, w: Window, column: 'platform' | 'distributor') {
  return db
    .selectFrom('streams_daily')
    .select([sql<string>`${sql.ref(column)}`.as('key'), sql<number>`sum(streams)`.as('value'), sql<number>`count(distinct date)`.as('days')])
    .where('date', '>=', w.from)
    .where('date', '<=', w.to)
    .groupBy(column)
    .orderBy('value', 'desc')
    .execute()
}

/** Ledger coverage as calendar dates: first day of the first sale month … last day of the last. */
export async function ledgerRange({ db }: KpiEnv) {
  const r = await db.selectFrom('revenue_lines').select((eb) => [eb.fn.min('sale_month').as('min'), eb.fn.max('sale_month').as('max')]).executeTakeFirst()
  const min = (r?.min as string | null) ?? null
  const max = (r?.max as string | null) ?? null
  return { min: min && `${min}-01`, max: max && monthEnd(max) }
}

export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number)
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
}

/** Sale months that overlap the window. */
export function monthBounds(w: Window) {
  return { fromMonth: w.from.slice(0, 7), toMonth: w.to.slice(0, 7) }
}

/** An exact e8 sum as both a number (for charts) and exact decimal text. */
export function money(e8: number | bigint | null) {
  const units = Number(e8 ?? 0)
  return { value: e8ToNumber(units), exact: formatE8(units) }
}

export function shares<T extends { value: number }>(rows: T[]) {
  const total = rows.reduce((s, r) => s + r.value, 0)
  return rows.map((r) => ({ ...r, share: total === 0 ? null : r.value / total }))
}
