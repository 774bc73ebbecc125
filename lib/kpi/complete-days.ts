/**
 * @module Which days of distributor streams are complete. Platforms of one distributor report with
 * different lags (DistroKid's Apple page runs a day ahead of its Spotify page, and that newest Apple day
 * is partial), and a distributor can stop reporting altogether (TooLost). Comparing a day only some of
 * them have reached with a full one reads as a collapse, so every comparison runs through a `DayBasis`:
 *   through    the newest date every platform of every included distributor has reported;
 *   included   the distributors compared (each reported within the 7 days up to `through`);
 *   excluded   distributors that have stopped, with the last day they reported: shown, never compared.
 */
import { sql } from 'kysely'
import type { KpiEnv } from './define.ts'
import { addDays, daysBetween, type Window } from './window.ts'

/** A distributor silent this many days before the others' newest complete day has stopped. */
const STOPPED_AFTER_DAYS = 7

const DISTRIBUTOR_NAMES: Record<string, string> = { distrokid: 'DistroKid', toolost: 'TooLost' }
const PLATFORM_NAMES: Record<string, string> = { spotify: 'Spotify', apple: 'Apple Music', youtube: 'YouTube', amazon: 'Amazon', tiktok: 'TikTok' }
export const distributorName = (d: string) => DISTRIBUTOR_NAMES[d] ?? d
export const platformName = (p: string) => PLATFORM_NAMES[p] ?? p

export interface DistributorDays {
  distributor: string
  first: string
  /** Newest date any of its platforms reported. */
  newest: string
  /** Newest date all of its (still reporting) platforms reported. */
  complete: string
  platforms: { platform: string; first: string; newest: string }[]
}

export interface DayBasis {
  through: string | null
  included: string[]
  excluded: { distributor: string; lastReported: string }[]
  distributors: DistributorDays[]
}

/** The basis for comparisons over data up to `to` (dates after it, and today, which has not ended, are ignored). */
export async function dayBasis({ db, today }: KpiEnv, upTo: string): Promise<DayBasis> {
  const yesterday = addDays(today, -1)
  const to = upTo > yesterday ? yesterday : upTo
  const rows = await db
    .selectFrom('streams_daily')
    .select(['distributor', 'platform', sql<string>`min(date)`.as('first'), sql<string>`max(date)`.as('newest')])
    .where('date', '<=', to)
    .groupBy(['distributor', 'platform'])
    .orderBy('distributor')
    .orderBy('platform')
    .execute()
  const distributors: DistributorDays[] = []
  for (const d of [...new Set(rows.map((r) => r.distributor))]) {
    const platforms = rows.filter((r) => r.distributor === d).map((r) => ({ platform: r.platform, first: r.first, newest: r.newest }))
    const newest = platforms
      .map((p) => p.newest)
      .sort()
      .at(-1)!
    // A platform that stopped long before the others (a store dropped) must not freeze the distributor.
    const live = platforms.filter((p) => daysBetween(p.newest, newest) < STOPPED_AFTER_DAYS)
    const complete = live.map((p) => p.newest).sort()[0]
    distributors.push({ distributor: d, first: platforms.map((p) => p.first).sort()[0], newest, complete, platforms })
  }
  if (!distributors.length) return { through: null, included: [], excluded: [], distributors }
  const latest = distributors
    .map((d) => d.complete)
    .sort()
    .at(-1)!
  const isLive = (d: DistributorDays) => daysBetween(d.newest, latest) < STOPPED_AFTER_DAYS
  const included = distributors.filter(isLive)
  return {
    through: included.map((d) => d.complete).sort()[0],
    included: included.map((d) => d.distributor),
    excluded: distributors.filter((d) => !isLive(d)).map((d) => ({ distributor: d.distributor, lastReported: d.newest })),
    distributors,
  }
}

/** Marks for one date of a series: `incomplete` past `through`, and who has not reported it. */
export function dayMarks(basis: DayBasis, date: string): { incomplete?: true; reason?: string; notReportedBy?: string[] } {
  const out: { incomplete?: true; reason?: string; notReportedBy?: string[] } = {}
  const silent = basis.distributors.filter((d) => d.first <= date && d.newest < date).map((d) => d.distributor)
  if (silent.length) out.notReportedBy = silent
  if (basis.through && date > basis.through) {
    const behind = basis.distributors
      .filter((d) => basis.included.includes(d.distributor))
      .flatMap((d) => d.platforms.filter((p) => p.newest < date).map((p) => `${platformName(p.platform)} (${distributorName(d.distributor)})`))
    out.incomplete = true
    out.reason = `${behind.join(', ') || 'a platform'} has not reported ${date} yet`
  }
  return out
}

/** Says whom a comparison leaves out, in a label's words (undefined when nobody). */
export function leftOutNote(basis: DayBasis): string | undefined {
  if (!basis.excluded.length) return undefined
  const who = basis.excluded.map((e) => `${distributorName(e.distributor)} (no data after ${e.lastReported})`).join(', ')
  return `Compared without ${who}: it has stopped reporting.`
}

/**
 * A window moved back so it ends at the newest complete date (same length), so "the last N days" are
 * N complete days; a window already ending earlier is kept.
 */
export function completeWindow(w: Window, basis: DayBasis): Window {
  if (!basis.through || w.to <= basis.through) return w
  const shift = daysBetween(basis.through, w.to)
  return { from: addDays(w.from, -shift), to: basis.through }
}

/** Σ streams of the included distributors per date in a window (a date none reported is absent). */
export async function includedDaily({ db }: KpiEnv, w: Window, basis: DayBasis): Promise<Map<string, number>> {
  if (!basis.included.length) return new Map()
  const rows = await db
    .selectFrom('streams_daily')
    .select(['date', sql<number>`sum(streams)`.as('value')])
    .where('date', '>=', w.from)
    .where('date', '<=', w.to)
    .where('distributor', 'in', basis.included)
    .groupBy('date')
    .execute()
  return new Map(rows.map((r) => [r.date, Number(r.value)]))
}

/** Σ of the included distributors over a window; null when they reported none of its days. */
export async function includedTotal(env: KpiEnv, w: Window, basis: DayBasis): Promise<number | null> {
  const days = await includedDaily(env, w, basis)
  return days.size ? [...days.values()].reduce((s, v) => s + v, 0) : null
}

/** What a comparison was made on, for the envelope: the two windows, the distributors, who is left out. */
export function comparedOn(basis: DayBasis, current: Window, previous: Window) {
  return {
    current,
    previous,
    through: basis.through,
    distributors: basis.included,
    leftOut: basis.excluded,
  }
}
