/**
 * TooLost's per-track and per-country totals (Apple `tracksTotal` / `countryTotal`, staged as
 * apple_tracks / apple_countries): staging → curated → track_streams_snapshot / country_streams_snapshot.
 * They are totals over the payload's year-to-date window, so each is a snapshot keyed by its window
 * (1 January … the payload's newest day) and the ISRC or country: the newest extract wins for the same
 * window, and different windows are kept side by side, never summed (a KPI reads the newest one).
 */
import type { Context } from '../../lib/context.ts'
import { csvLine, readCsv } from '../../lib/lake/lines.ts'
import { newestWins } from '../../lib/lake/merge.ts'
import type { BulkWriter } from '../../lib/warehouse/bulk.ts'

export const TOTALS = {
  tracks: {
    dataset: 'apple_tracks',
    file: 'toolost_track_totals.csv',
    header: ['period_from', 'period_to', 'isrc', 'title', 'release', 'streams', 'extracted_at'],
  },
  countries: { dataset: 'apple_countries', file: 'toolost_country_totals.csv', header: ['period_from', 'period_to', 'country', 'streams', 'extracted_at'] },
} as const

interface Staged {
  year: number
  through: string | null
  isrc?: string
  track?: string
  release?: string
  country?: string
  streams: number
}

/** Rebuilds both curated totals files from every staged payload; returns the row counts. */
export async function curateTotals(ctx: Context): Promise<{ tracks: number; countries: number }> {
  const counts = { tracks: 0, countries: 0 }
  for (const kind of ['tracks', 'countries'] as const) {
    const spec = TOTALS[kind]
    const files = await ctx.lake.list('staging', 'toolost', spec.dataset)
    if (!files.length) continue
    const keyOf = (r: Staged) => (kind === 'tracks' ? r.isrc! : r.country!)
    const rows: string[][] = []
    // A payload without any daily row has no window end: its totals cannot be placed, so they are not curated.
    for await (const r of newestWins<Staged>(files, (r) => `${r.year}|${r.through}|${keyOf(r)}`)) {
      if (!r.through) continue
      const window = [`${r.year}-01-01`, r.through]
      rows.push(
        kind === 'tracks'
          ? [...window, r.isrc!, r.track ?? '', r.release ?? '', String(r.streams), r._extracted_at]
          : [...window, r.country!, String(r.streams), r._extracted_at],
      )
    }
    rows.sort((a, b) => (a[1] + a[2] < b[1] + b[2] ? -1 : a[1] + a[2] > b[1] + b[2] ? 1 : 0))
    const out = await ctx.lake.curatedWriter('toolost', spec.file)
    await out.write(csvLine(spec.header))
    for (const r of rows) await out.write(csvLine(r))
    await ctx.lake.replaceCurated('toolost', ctx.lake.curatedPath('toolost', spec.file), await out.finish())
    counts[kind] = rows.length
  }
  return counts
}

/** The curated totals files, for `changedCurated`. */
export function totalsFiles(ctx: Context) {
  return [
    { name: 'tracks', path: ctx.lake.curatedPath('toolost', TOTALS.tracks.file) },
    { name: 'countries', path: ctx.lake.curatedPath('toolost', TOTALS.countries.file) },
  ]
}

/** Upserts one curated totals file into its snapshot table; returns the rows read. */
export async function loadTotals(w: BulkWriter, file: { name: string; path: string }, runId: string | null): Promise<number> {
  const tracks = file.name === 'tracks'
  const put = w.upsert(
    tracks
      ? {
          table: 'track_streams_snapshot',
          key: ['distributor', 'platform', 'period_from', 'period_to', 'isrc'],
          measures: ['title', 'release', 'streams'],
          lineage: ['extracted_at', 'run_id'],
        }
      : {
          table: 'country_streams_snapshot',
          key: ['distributor', 'platform', 'period_from', 'period_to', 'country'],
          measures: ['streams'],
          lineage: ['extracted_at', 'run_id'],
        },
  )
  let n = 0
  for await (const r of readCsv(file.path)) {
    n++
    const head = ['toolost', 'apple', r.period_from, r.period_to]
    put(
      tracks
        ? [...head, r.isrc, r.title || null, r.release || null, Number(r.streams), r.extracted_at, runId]
        : [...head, r.country, Number(r.streams), r.extracted_at, runId],
    )
  }
  return n
}
