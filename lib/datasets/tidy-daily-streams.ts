/**
 * @module The shared curated dataset `4_curated/tidy_daily_streams.csv`: one row per (date,
 * distributor) with spotify, apple and combined streams. Each distributor replaces only its own rows
 * (the original's contract). A missing platform day stays empty, never 0.
 */
import path from 'node:path'
import type { Context } from '../context.ts'
import { AtomicWriter } from '../lake/atomic.ts'
import { exists } from '../lake/lake.ts'
import { csvLine, readCsv } from '../lake/lines.ts'
import { withLock } from '../lock.ts'
import type { BulkWriter } from '../warehouse/bulk.ts'

export const TIDY_FILE = 'tidy_daily_streams.csv'
const HEADER = ['date', 'distributor', 'spotify_streams', 'apple_streams', 'combined_streams', 'extracted_at'] as const

export interface TidyRow {
  date: string
  distributor: string
  spotify: number | null
  apple: number | null
  /** Newest extraction time among the values of this row. */
  extractedAt: string
}

export function tidyPath(ctx: Pick<Context, 'lake'>): string {
  return path.join(ctx.lake.dir('curated', ''), TIDY_FILE)
}

export async function readTidy(file: string): Promise<TidyRow[]> {
  if (!(await exists(file))) return []
  const rows: TidyRow[] = []
  for await (const r of readCsv(file)) {
    rows.push({
      date: r.date,
      distributor: r.distributor,
      spotify: count(r.spotify_streams, r, 'spotify_streams'),
      apple: count(r.apple_streams, r, 'apple_streams'),
      extractedAt: r.extracted_at,
    })
  }
  return rows
}

/** An empty cell is a day not reported (null); anything but a whole count is an error, never a 0. */
function count(text: string | undefined, r: Record<string, string>, column: string): number | null {
  if (text === undefined || text === '') return null
  if (!/^\d+$/.test(text)) throw new Error(`${TIDY_FILE}: ${column} "${text}" on ${r.date} (${r.distributor}) is not a whole count`)
  return Number(text)
}

/** Replaces `distributor`'s rows; returns whether the curated file changed (old version archived). */
export async function replaceDistributorRows(ctx: Context, distributor: string, rows: TidyRow[]): Promise<boolean> {
  const file = tidyPath(ctx)
  return withLock(file, async () => {
    const kept = (await readTidy(file)).filter((r) => r.distributor !== distributor)
    const all = [...kept, ...rows].sort((a, b) => (a.date === b.date ? a.distributor.localeCompare(b.distributor) : a.date < b.date ? -1 : 1))
    const out = await AtomicWriter.open(file)
    await out.write(csvLine(HEADER))
    for (const r of all) {
      const combined = r.spotify === null && r.apple === null ? null : (r.spotify ?? 0) + (r.apple ?? 0)
      await out.write(csvLine([r.date, r.distributor, r.spotify, r.apple, combined, r.extractedAt]))
    }
    return ctx.lake.replaceCurated('tidy_daily_streams', file, await out.finish())
  })
}

/** Pivots (date, platform, streams) rows into tidy rows for one distributor. */
export function pivotDaily(distributor: string, rows: { date: string; platform: string; streams: number; _extracted_at: string }[]): TidyRow[] {
  const byDate = new Map<string, TidyRow>()
  for (const r of rows) {
    let t = byDate.get(r.date)
    if (!t) byDate.set(r.date, (t = { date: r.date, distributor, spotify: null, apple: null, extractedAt: r._extracted_at }))
    if (r.platform === 'spotify') t.spotify = r.streams
    else if (r.platform === 'apple') t.apple = r.streams
    if (r._extracted_at > t.extractedAt) t.extractedAt = r._extracted_at
  }
  return [...byDate.values()]
}

const STREAMS_UPSERT = {
  table: 'streams_daily',
  key: ['date', 'distributor', 'platform'],
  measures: ['streams'],
  lineage: ['extracted_at', 'run_id'],
} as const

/**
 * Upserts one distributor's rows of the tidy file into streams_daily, a row per (date, distributor,
 * platform); a day a platform did not report gets no row (never a 0). Returns the rows offered and the
 * newest date.
 */
export async function loadDistributorStreams(w: BulkWriter, file: string, distributor: string, runId: string) {
  const put = w.upsert(STREAMS_UPSERT)
  let rowsIn = 0
  let newest: string | null = null
  for (const r of await readTidy(file)) {
    if (r.distributor !== distributor) continue
    for (const [platform, streams] of [
      ['spotify', r.spotify],
      ['apple', r.apple],
    ] as const) {
      if (streams === null) continue
      rowsIn++
      put([r.date, distributor, platform, streams, r.extractedAt, runId])
    }
    if (!newest || r.date > newest) newest = r.date
  }
  return { rowsIn, newest }
}
