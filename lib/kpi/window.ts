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
    track: z.string().trim().regex(/^[A-Z0-9-]{1,32}$/i, 'an ISRC such as USRC17607839').transform((s) => s.toUpperCase()).optional(),
  })
  .refine((q) => !(q.from && q.to) || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
export type KpiQuery = z.infer<typeof KpiQuery>

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

export function resolveWindow(q: KpiQuery, range: { min: string | null; max: string | null }, today: string): Window {
  const to = q.to ?? range.max ?? today
  if (q.from) return { from: q.from, to }
  if (q.days === 'all') return { from: range.min ?? to, to }
  return { from: addDays(to, -((q.days ?? 28) - 1)), to }
}
