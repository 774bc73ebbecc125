/** @module Lake zone names and the `YYYYMMDD_HHMMSS` stamps every lake file name starts with. */

export const ZONES = {
  landing: '1_landing',
  raw: '2_raw',
  staging: '3_staging',
  curated: '4_curated',
  archive: '5_archive',
} as const
export type Zone = keyof typeof ZONES

/** UTC stamp `YYYYMMDD_HHMMSS`: sortable as text, so "newest" is a string comparison. */
export function stamp(date: Date): string {
  const iso = date.toISOString() // 2025-05-29T04:28:35.123Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}_${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`
}

const STAMP_RE = /(?:^|[^0-9])(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})(?![0-9])/

/** The extraction time carried in a file or folder name as `YYYYMMDD_HHMMSS` (UTC), if any. */
export function parseStamp(name: string): Date | null {
  const m = STAMP_RE.exec(name)
  if (!m) return null
  const [, y, mo, d, h, mi, s] = m
  const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s))
  // Reject impossible stamps (month 13, …) instead of letting Date roll them over.
  return stamp(date) === `${y}${mo}${d}_${h}${mi}${s}` ? date : null
}

/** How far a stamp may lie ahead of our clock (clock skew between machines) before it is refused. */
export const CLOCK_ALLOWANCE_MS = 10 * 60_000

/** Whether an extraction time lies in the future beyond the clock allowance. */
export function isFutureStamp(at: Date, now: Date = new Date()): boolean {
  return at.getTime() > now.getTime() + CLOCK_ALLOWANCE_MS
}
