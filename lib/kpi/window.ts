/** @module Calendar windows for KPIs: `?from=&to=` or `?days=N|all`, default 28 days ending at the newest business date. */
import { z } from 'zod'

const isoDate = z.iso.date()

export const KpiQuery = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    days: z.union([z.literal('all'), z.coerce.number().int().min(1).max(3660)]).optional(),
    // The page's filter (lib/kpi/filter.ts): a canonical artist name, a track's ISRC.
    artist: z.string().trim().min(1).max(200).optional(),
    track: z
      .string()
      .trim()
      .regex(/^[A-Z0-9-]{1,32}$/i, 'an ISRC such as USRC17607839')
      .transform((s) => s.toUpperCase())
      .optional(),
  })
  .refine((q) => !(q.from && q.to) || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
export type KpiQuery = z.infer<typeof KpiQuery>

export interface KpiRange {
  min: string | null
  max: string | null
  completeTo?: string | null
}

export interface Window {
  from: string
  to: string
}

const DAY = 86_400_000

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10)
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY)
}

/** Calendar days in a window, both ends included. */
export function calendarDays(w: Window): number {
  return daysBetween(w.from, w.to) + 1
}

/**
 * `range.completeTo` (monthly data: the end of the newest complete sale month) is where a window of N
 * days ends by default, so a short window never holds only an unfinished month; `all` still runs to
 * the newest data.
 */
export function resolveWindow(q: KpiQuery, range: KpiRange, today: string): Window {
  if (q.days === 'all' && !q.from) {
    const to = q.to ?? range.max ?? today
    return { from: range.min ?? to, to }
  }
  const to = q.to ?? (q.from ? range.max : (range.completeTo ?? range.max)) ?? today
  if (q.from) return { from: q.from, to }
  const days = q.days === 'all' || q.days === undefined ? 28 : q.days
  return { from: addDays(to, -(days - 1)), to }
}

/** Today's date (YYYY-MM-DD) in a time zone: the label's day boundaries, not UTC's. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  let f = formats.get(timeZone)
  // en-CA formats as YYYY-MM-DD.
  if (!f) formats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })))
  return f.format(now)
}
// Building a DateTimeFormat costs ~0.3 ms (it loads the zone's data): the KPI route asks every request.
const formats = new Map<string, Intl.DateTimeFormat>()

/**
 * todayIn on the running clock, formatted at most once per UTC minute (the KPI route asks on every
 * request): a zone's date changes only on a whole minute, as every offset and transition in use is one.
 */
export function currentDay(timeZone: string): () => string {
  let minute = Number.NaN
  let day = ''
  return () => {
    const now = Date.now()
    const m = Math.floor(now / 60_000)
    if (m !== minute) {
      day = todayIn(timeZone, new Date(now))
      minute = m
    }
    return day
  }
}
