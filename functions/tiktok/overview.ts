/**
 * TikTok Studio's Overview export (external_apis.md §2, fixtures/real/README.md §4): a ZIP named
 * `Overview_<window start>_<unix epoch of download>_<account>.zip` holding one CSV whose `Date` column
 * has no year ("May 28"). The year is not guessed: row i is the window start + i days, and every label
 * must agree with that date, else the whole file is refused (a wrong year silently shifts a year of data).
 * The account and the download time come from the export's own name; the ZIP member's timestamp is
 * unrelated and ignored.
 */
import { unzipSync } from 'fflate'
import Papa from 'papaparse'
import { z } from 'zod'
import { RefusedFile } from '../../lib/errors.ts'

export interface OverviewName {
  windowStart: string
  /** When TikTok produced the download (the epoch in the name), ISO. */
  downloadedAt: string
  account: string
}

export interface OverviewDay {
  date: string
  views: number
  profile_views: number
  likes: number
  comments: number
  shares: number
}

// The lake prefixes `<YYYYMMDD_HHMMSS>_` and may suffix `~N` to a second landing in the same second.
const NAME = /(?:^|_)Overview_(\d{4}-\d{2}-\d{2})_(\d{9,11})_([A-Za-z0-9._-]+?)(?:~\d+)?\.zip$/

export function parseOverviewName(name: string): OverviewName | null {
  const m = NAME.exec(name)
  if (!m || !isDate(m[1])) return null
  return { windowStart: m[1], downloadedAt: new Date(Number(m[2]) * 1000).toISOString(), account: m[3] }
}

export function overviewFileName(n: { windowStart: string; downloadedAt: string; account: string }): string {
  return `Overview_${n.windowStart}_${Math.floor(Date.parse(n.downloadedAt) / 1000)}_${n.account}.zip`
}

const COLUMNS = { Date: 'date', 'Video Views': 'views', 'Profile Views': 'profile_views', Likes: 'likes', Comments: 'comments', Shares: 'shares' } as const
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']

const Count = z.string().trim().regex(/^\d+$/, 'not a count').transform(Number).pipe(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER))

function isDate(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`)
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(t) && new Date(t).toISOString().startsWith(s)
}

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
}

/** Does a `Date` label ("May 28", "2025-05-28") name this calendar date? */
export function labelMatches(label: string, date: string): boolean {
  const s = label.trim()
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s === date
  const m = /^([A-Za-z]+)\.?\s+(\d{1,2})$/.exec(s)
  if (!m) return false
  const month = MONTHS.findIndex((name) => name === m[1].toLowerCase() || (m[1].length >= 3 && name.startsWith(m[1].toLowerCase())))
  return month >= 0 && Number(date.slice(5, 7)) === month + 1 && Number(date.slice(8, 10)) === Number(m[2])
}

/** The one CSV member of an export ZIP; a truncated or otherwise unreadable ZIP is refused. */
export function csvOfZip(bytes: Uint8Array): string {
  let members: Record<string, Uint8Array>
  try {
    members = unzipSync(bytes)
  } catch (err) {
    throw new RefusedFile(`not a readable ZIP (truncated download?): ${(err as Error).message}`)
  }
  const csvs = Object.keys(members).filter((n) => n.toLowerCase().endsWith('.csv') && !n.startsWith('__MACOSX/'))
  if (csvs.length !== 1)
    throw new RefusedFile(`the export ZIP should hold exactly one CSV, it holds ${csvs.length} (${Object.keys(members).join(', ') || 'nothing'})`)
  return new TextDecoder('utf-8', { fatal: false }).decode(members[csvs[0]])
}

export interface ParsedOverview {
  /** Each CSV record as received (for the raw zone), keyed by header. */
  records: Record<string, string>[]
  days: OverviewDay[]
}

/** Parses the CSV of an export whose window starts on `windowStart`; throws RefusedFile when it does not fit. */
export function parseOverviewCsv(text: string, windowStart: string, downloadedAt: string): ParsedOverview {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true })
  if (parsed.errors.length) throw new RefusedFile(`CSV unreadable: ${parsed.errors[0].message} (row ${parsed.errors[0].row})`)
  const [header, ...rows] = parsed.data
  if (!header) throw new RefusedFile('the CSV is empty')
  const names = header.map((h) => h.trim())
  const index: Partial<Record<keyof typeof COLUMNS, number>> = {}
  for (const col of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) {
    const i = names.indexOf(col)
    if (i < 0) throw new RefusedFile(`not a TikTok Overview export: the header lacks "${col}" (has ${names.join(', ')})`)
    index[col] = i
  }
  if (!rows.length) throw new RefusedFile('the export has a header but no days')
  // Local dates: the last day may be the download day in any time zone, never later than a day after it.
  const latest = addDays(downloadedAt.slice(0, 10), 1)
  const records: Record<string, string>[] = []
  const days: OverviewDay[] = []
  for (const [i, fields] of rows.entries()) {
    const record = Object.fromEntries(names.map((n, j) => [n, fields[j] ?? '']))
    records.push(record)
    const date = addDays(windowStart, i)
    const label = fields[index.Date!] ?? ''
    if (!labelMatches(label, date)) {
      throw new RefusedFile(`row ${i + 2}: Date "${label}" is not ${date} (window start ${windowStart} + ${i} days); the year cannot be resolved safely`)
    }
    if (date > latest) throw new RefusedFile(`row ${i + 2}: ${date} lies after the download (${downloadedAt})`)
    const day: Record<string, unknown> = { date }
    for (const col of ['Video Views', 'Profile Views', 'Likes', 'Comments', 'Shares'] as const) {
      const v = Count.safeParse(fields[index[col]!] ?? '')
      if (!v.success) throw new RefusedFile(`row ${i + 2}: ${col} "${fields[index[col]!] ?? ''}" is not a count`)
      day[COLUMNS[col]] = v.data
    }
    days.push(day as unknown as OverviewDay)
  }
  return { records, days }
}
