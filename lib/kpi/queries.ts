/**
 * @module Warehouse queries several KPIs share. Distributor streams (DistroKid + TooLost, all platforms)
 * are the platform totals; Spotify-for-Artists numbers live in their own tables and are never added in
 * here (the double-count rule). Series are aggregated by date first, across every distributor.
 */
import { sql } from 'kysely'
import { formatE8, e8ToNumber } from '../money.ts'
import type { KpiEnv } from './define.ts'
import type { ResolvedSource } from '../source.ts'
import { addDays, type Window } from './window.ts'

/**
 * Streams are daily values, and a day is complete only once it has ended: a window of N days ends
 * yesterday at the latest (`completeTo`), whatever a source already reports for today.
 */
/** The newest day a window may end on: the newest reported day, but never today (it has not ended). */
export function endedBy(max: string | null, today: string): string | null {
  const ended = addDays(today, -1)
  return max && max > ended ? ended : max
}

export async function streamsRange({ db, today }: KpiEnv) {
  const r = await db
    .selectFrom('streams_daily')
    .select((eb) => [eb.fn.min('date').as('min'), eb.fn.max('date').as('max')])
    .executeTakeFirst()
  const max = (r?.max as string | null) ?? null
  return { min: (r?.min as string | null) ?? null, max, completeTo: endedBy(max, today) }
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
  // Two scalar subqueries: SQLite answers each min/max from one end of the index, while min and max
  // in one select read the whole index (~70 ms at a million lines).
  const r = await sql<{ min: string | null; max: string | null }>`
    SELECT (SELECT min(sale_month) FROM revenue_lines) AS min, (SELECT max(sale_month) FROM revenue_lines) AS max`.execute(db)
  const min = r.rows[0]?.min ?? null
  const max = r.rows[0]?.max ?? null
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

/** Σ distributor streams in a window; null when no distributor reported a day of it. */
export async function streamsTotal({ db }: KpiEnv, w: Window): Promise<number | null> {
  const r = await db
    .selectFrom('streams_daily')
    .select(sql<number | null>`sum(streams)`.as('total'))
    .where('date', '>=', w.from)
    .where('date', '<=', w.to)
    .executeTakeFirst()
  return r?.total === null || r?.total === undefined ? null : Number(r.total)
}

/**
 * The newest date every distributor has reported: distributors report with different lags, and a date
 * only one of them has reached would look like a drop. Distributors silent in the last 7 days of the
 * window are not waited for (a source that stopped should not freeze the answer).
 */
export async function newestCompleteDate({ db }: KpiEnv, w: Window): Promise<string | null> {
  const recent = addDays(w.to, -6) < w.from ? w.from : addDays(w.to, -6)
  const r = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('streams_daily')
        .select(['distributor', sql<string>`max(date)`.as('newest')])
        .where('date', '>=', w.from)
        .where('date', '<=', w.to)
        .groupBy('distributor')
        .having(sql`max(date)`, '>=', recent)
        .as('d'),
    )
    .select(sql<string | null>`min(newest)`.as('complete'))
    .executeTakeFirst()
  return r?.complete ?? null
}

/** Daily distributor streams per distributor, for series that show each source beside the total. */
export async function dailyStreamsByDistributor({ db }: KpiEnv, w: Window) {
  const rows = await db
    .selectFrom('streams_daily')
    .select(['date', 'distributor', sql<number>`sum(streams)`.as('value')])
    .where('date', '>=', w.from)
    .where('date', '<=', w.to)
    .groupBy(['date', 'distributor'])
    .orderBy('date')
    .execute()
  const byDate = new Map<string, { date: string; value: number; [distributor: string]: number | string }>()
  for (const r of rows) {
    const point = byDate.get(r.date) ?? { date: r.date, value: 0 }
    point[r.distributor] = Number(r.value)
    point.value += Number(r.value)
    byDate.set(r.date, point)
  }
  return [...byDate.values()]
}

/** Ledger earnings (exact e8) and quantity per sale month between two months, both included. */
export async function ledgerByMonth({ db }: KpiEnv, fromMonth: string, toMonth: string) {
  const rows = await db
    .selectFrom('revenue_lines')
    .select(['sale_month', sql<number>`sum(earnings_e8)`.as('e8'), sql<number>`sum(quantity)`.as('quantity'), sql<number>`count(*)`.as('lines')])
    .where('sale_month', '>=', fromMonth)
    .where('sale_month', '<=', toMonth)
    .groupBy('sale_month')
    .orderBy('sale_month')
    .execute()
  return rows.map((r) => ({
    month: r.sale_month,
    e8: Number(r.e8),
    quantity: Number(r.quantity),
    lines: Number(r.lines),
  }))
}

type DatedTable = 'social_daily' | 'spotify_audience_daily' | 'ad_insights_daily' | 'link_daily' | 'youtube_daily' | 'email_daily'

/**
 * A `range` for KPIs over one daily table (social_daily narrowed to one platform). As with streams, a
 * window of N days ends yesterday at the latest (`completeTo`): Meta, TikTok, Instagram, YouTube and
 * Linktree all report today while it is still going, and a partial day would read as a drop. A KPI of a
 * level (`level`: a follower count read today) is not a partial day, and ends on the newest reading.
 */
export function dateRangeOf(table: DatedTable, platform?: string, o: { level?: boolean } = {}) {
  return async ({ db, today }: KpiEnv) => {
    const where = platform ? sql`where platform = ${platform}` : sql``
    const { rows } = await sql<{
      min: string | null
      max: string | null
    }>`select min(date) as min, max(date) as max from ${sql.table(table)} ${where}`.execute(db)
    const max = rows[0]?.max ?? null
    // A level (followers now) is whole the moment it is read: today's counts.
    return { min: rows[0]?.min ?? null, max, completeTo: o.level ? max : endedBy(max, today) }
  }
}

/** One platform's social_daily rows in a window (a handful of accounts × days: small). */
export async function socialRows({ db }: KpiEnv, platform: string, w: Window) {
  return db
    .selectFrom('social_daily')
    .selectAll()
    .where('platform', '=', platform)
    .where('date', '>=', w.from)
    .where('date', '<=', w.to)
    .orderBy('date')
    .orderBy('account')
    .execute()
}

/** Σ of one nullable measure over rows; null when no row reported it (not reported is not 0). */
export function sumReported<T>(rows: readonly T[], pick: (r: T) => number | null): number | null {
  let total: number | null = null
  for (const r of rows) {
    const v = pick(r)
    if (v !== null && v !== undefined) total = (total ?? 0) + Number(v)
  }
  return total
}

/**
 * Spotify for Artists followers gained by each artist in a window: the newest value in the window minus
 * the newest before it (or, with nothing before it, the first inside it). Followers are a level.
 */
export async function spotifyFollowersGained({ db }: KpiEnv, w: Window) {
  const rows = await db
    .selectFrom('spotify_audience_daily')
    .select(['artist', 'date', 'followers'])
    .where('followers', 'is not', null)
    .where('date', '<=', w.to)
    .orderBy('date')
    .execute()
  const out = new Map<string, { gained: number | null; from: string; to: string; baseline: number; latest: number }>()
  for (const artist of new Set(rows.map((r) => r.artist))) {
    const own = rows.filter((r) => r.artist === artist)
    const inside = own.filter((r) => r.date >= w.from)
    if (!inside.length) continue
    // The baseline is the last figure before the window, so the window's first day counts too; with
    // nothing earlier, the first figure inside it. One figure and no baseline measure no gain: null.
    const start = own.filter((r) => r.date < w.from).at(-1) ?? inside[0]
    const end = inside.at(-1)!
    const gained = start === end ? null : end.followers! - start.followers!
    out.set(artist, { gained, from: start.date, to: end.date, baseline: start.followers!, latest: end.followers! })
  }
  return out
}

/**
 * The newest business date of every source that has data, as each source declares it is read
 * (`freshness` in functions/<source>/source.ts); plus the ledger by the last day of its newest sale
 * month. Each is a max over a key or indexed column.
 */
export async function sourceNewestDates({ db, sources }: KpiEnv) {
  const out: { source: string; kind: 'daily' | 'monthly'; newest: string; warnDays: number; staleDays: number }[] = []
  for (const s of sources.values()) {
    const newest = await newestBusinessDate(db, s)
    if (newest) out.push({ source: s.name, kind: 'daily', newest, warnDays: s.freshness!.warnDays, staleDays: s.freshness!.staleDays })
  }
  const ledger = await db.selectFrom('revenue_lines').select(sql<string | null>`max(sale_month)`.as('newest')).executeTakeFirst()
  if (ledger?.newest) out.push({ source: 'ledger', kind: 'monthly', newest: monthEnd(ledger.newest), warnDays: 45, staleDays: 75 })
  return out
}

/** A source's newest business date, read as its declaration says (null: no data, or no freshness). */
export async function newestBusinessDate(db: KpiEnv['db'], s: ResolvedSource): Promise<string | null> {
  const f = s.freshness
  if (!f) return null
  let q = db.selectFrom(sql.table(f.table).as('t')).select(sql<string | null>`max(${sql.ref(f.dateColumn)})`.as('newest'))
  for (const [column, value] of Object.entries(f.where ?? {})) q = q.where(sql.ref(column), '=', value)
  const newest = (await q.executeTakeFirst())?.newest ?? null
  return newest && f.grain === 'month' ? monthEnd(newest) : newest
}
