/**
 * One TooLost payload file → raw records and staging rows. Raw keeps every block exactly as received
 * (one record per array element, scalars as `{block, value}`), including keys nobody reads yet.
 * Staging, typed and normalised:
 *   daily_streams      {date, platform, streams}  Spotify `streams[]`, Apple `totalStreams[]`
 *   spotify_discovery  {date, streams, fees, fees_e8}
 *   apple_shazam       {date, shazams}
 *   apple_tracks       {year, through, isrc, track, release, cover, streams}   year-to-date totals
 *   apple_countries    {year, through, country, streams}                       year-to-date totals
 * A missing day stays missing: nothing here invents a 0.
 */
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { RefusedFile } from '../../lib/errors.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import type { PromoteSink } from '../../lib/lake/promote.ts'
import { parseE8 } from '../../lib/money.ts'
import { CountryRow, DailyRow, DiscoveryRow, payloadKind, rowProblem, TrackRow, type Platform } from './payloads.ts'

export interface DailyStreams {
  date: string
  platform: Platform
  streams: number
}

interface NotAfter {
  day: string
  extractedAt: string
}

export async function promotePayload(file: LakeFile, sink: PromoteSink): Promise<void> {
  const bytes = await readFile(file.path)
  if (bytes.length === 0) throw new RefusedFile('the file is empty')
  if (bytes.includes(0)) throw new RefusedFile('binary content (NUL bytes), not a JSON payload')
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '')
  if (/^\s*</.test(text)) throw new RefusedFile("an HTML page (the portal's login page? the session had expired), not an analytics payload")
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    const start = JSON.stringify(text.trimStart().slice(0, 40))
    throw new RefusedFile(`not a complete JSON document (${(err as Error).message}; starts ${start})`)
  }
  const kind = payloadKind(doc)
  if (!kind) throw new RefusedFile('neither a Spotify (`streams` array) nor an Apple Music (`totalStreams` array) analytics payload')
  if (kind !== file.dataset) throw new RefusedFile(`a ${kind} payload filed under ${file.dataset}`)
  const payload = doc as Record<string, unknown>
  for (const [block, value] of Object.entries(payload)) {
    if (Array.isArray(value)) for (const [index, row] of value.entries()) await sink.raw({ block, index, row })
    else await sink.raw({ block, value })
  }
  // A day after the extraction cannot have been reported yet: such rows are quarantined, not loaded.
  // (the UTC day after it, as a day in a time zone ahead of UTC may already have begun).
  const notAfter = file.extractedAt
    ? { day: new Date(file.extractedAt.getTime() + 86_400_000).toISOString().slice(0, 10), extractedAt: file.extractedAt.toISOString() }
    : undefined
  if (kind === 'spotify') await stageSpotify(payload, sink, notAfter)
  else await stageApple(payload, sink, file, notAfter)
}

async function stageSpotify(p: Record<string, unknown>, sink: PromoteSink, notAfter?: NotAfter) {
  await eachRow(
    p.streams,
    DailyRow,
    'streams',
    (r) => r.date,
    sink,
    notAfter,
    (r) => sink.staging('daily_streams', { date: r.date, platform: 'spotify', streams: r.streams } satisfies DailyStreams),
  )
  await eachRow(
    p.discovery,
    DiscoveryRow,
    'discovery',
    (r) => r.date,
    sink,
    notAfter,
    (r) => sink.staging('spotify_discovery', { date: r.date, streams: r.streams, fees: r.fees, fees_e8: parseE8(r.fees) }),
  )
}

async function stageApple(p: Record<string, unknown>, sink: PromoteSink, file: LakeFile, notAfter?: NotAfter) {
  let through: string | null = null
  let sum = 0
  const daily = await eachRow(
    p.totalStreams,
    DailyRow,
    'totalStreams',
    (r) => r.date,
    sink,
    notAfter,
    async (r) => {
      if (!through || r.date > through) through = r.date
      sum += r.streams
      await sink.staging('daily_streams', { date: r.date, platform: 'apple', streams: r.streams } satisfies DailyStreams)
    },
  )
  // The totals are only as consistent as the days: a mismatch with every day readable means drift.
  if (!daily.dropped && typeof p.streamTotal === 'number' && p.streamTotal !== sum) {
    sink.quarantine(null, `streamTotal ${p.streamTotal} differs from the sum of totalStreams ${sum}`, { streamTotal: p.streamTotal })
  }
  await eachRow(
    p.totalShazam,
    DailyRow,
    'totalShazam',
    (r) => r.date,
    sink,
    notAfter,
    (r) => sink.staging('apple_shazam', { date: r.date, shazams: r.streams }),
  )
  // Track and country blocks are totals over the year-to-date window; tag them with the window so a
  // later reader can key them by (year, track) and let the newest extract win.
  const year = Number((through ?? (file.extractedAt ?? new Date(0)).toISOString()).slice(0, 4))
  await eachRow(
    p.tracksTotal,
    TrackRow,
    'tracksTotal',
    (r) => r.isrc,
    sink,
    undefined,
    (r) =>
      sink.staging('apple_tracks', {
        year,
        through,
        isrc: r.isrc,
        track: r.track,
        release: r.release,
        cover: r.cover ?? null,
        streams: r.streams,
      }),
  )
  await eachRow(
    p.countryTotal,
    CountryRow,
    'countryTotal',
    (r) => r.country,
    sink,
    undefined,
    (r) => sink.staging('apple_countries', { year, through, country: r.country, streams: r.streams }),
  )
}

/** Parses each row of a block; bad rows, days after `notAfter` and repeated keys are quarantined, the rest emitted. */
async function eachRow<S extends z.ZodType>(
  rows: unknown,
  schema: S,
  block: string,
  keyOf: (row: z.infer<S>) => string,
  sink: PromoteSink,
  notAfter: NotAfter | undefined,
  emit: (row: z.infer<S>) => Promise<void> | undefined,
): Promise<{ kept: number; dropped: number }> {
  const seen = new Set<string>()
  let dropped = 0
  for (const [i, row] of ((rows as unknown[] | undefined) ?? []).entries()) {
    const parsed = schema.safeParse(row)
    if (!parsed.success) {
      dropped++
      sink.quarantine(null, `${block}[${i}] ${rowProblem(parsed.error)}`, row)
      continue
    }
    const date = (parsed.data as { date?: unknown }).date
    if (notAfter && typeof date === 'string' && date > notAfter.day) {
      dropped++
      sink.quarantine(null, `${block}[${i}] date ${date} is in the future for an extract of ${notAfter.extractedAt}`, row)
      continue
    }
    const key = keyOf(parsed.data)
    if (seen.has(key)) {
      // Two values for one day in one payload: neither is more credible, keep the first, show the other.
      dropped++
      sink.quarantine(null, `${block}[${i}] repeats ${key} within the same payload`, row)
      continue
    }
    seen.add(key)
    await emit(parsed.data)
  }
  return { kept: seen.size, dropped }
}
