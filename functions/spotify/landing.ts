/**
 * landing → raw → staging for each Spotify dataset. The payloads do not say whose they are, so the
 * artist (and metric or track) comes from the landing name the extractor gave the file; a file whose
 * name or content does not fit is refused and stays in landing. A count that is absent stays absent
 * (no staging row), never 0; one that is present but not a count is quarantined.
 */
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { RefusedFile } from '../../lib/errors.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import { csvFields, readLines } from '../../lib/lake/lines.ts'
import { detectTextEncoding } from '../../lib/lake/text.ts'
import type { PromoteSink } from '../../lib/lake/promote.ts'
import { canonicalArtist } from '../../lib/names.ts'
import { artistById, artistFromName, type SpotifyArtist } from './artists.ts'
import { count, METRICS, nameParts, SongsPayload, songsOf, TimelinePayload } from './s4a.ts'
import { ArtistObject, artistProfile } from './web-api.ts'

/** Staging row of the `audience` dataset: one reported value of one metric on one day. */
export interface AudienceValue {
  date: string
  artist: string
  artist_id: string
  metric: (typeof METRICS)[number]
  value: number
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
/** A real calendar date as YYYY-MM-DD (Date would roll 2025-02-30 over into March). */
function isDate(s: unknown): s is string {
  if (typeof s !== 'string' || !ISO_DATE.test(s)) return false
  const t = Date.parse(`${s}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s)
}

/**
 * The last day that can have been reported when the file was extracted: the UTC day after the
 * extraction, since a day's label in a time zone ahead of UTC may already have begun.
 */
export function extractionDay(file: LakeFile): string | undefined {
  return file.extractedAt ? new Date(file.extractedAt.getTime() + 86_400_000).toISOString().slice(0, 10) : undefined
}

function artistOf(file: LakeFile, artists: readonly SpotifyArtist[]): SpotifyArtist {
  const a = artistFromName(file.name, artists)
  if (!a)
    throw new RefusedFile(`cannot tell which artist ${file.name} belongs to: its name carries no artist id or name (e.g. spotify_audience_<artistId>_….csv)`)
  return a
}

async function readJson<S extends z.ZodType>(file: LakeFile, schema: S, what: string): Promise<z.infer<S>> {
  const bytes = await readFile(file.path)
  if (bytes.length === 0) throw new RefusedFile('the file is empty')
  if (bytes.includes(0)) throw new RefusedFile(`binary content (NUL bytes), not ${what} JSON`)
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '')
  if (/^\s*</.test(text)) throw new RefusedFile(`an HTML page (a login page?) instead of the ${what} JSON`)
  if (/^\s*Token expired\s*$/.test(text)) throw new RefusedFile(`S4A's expired-token answer, not ${what} data`)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new RefusedFile(`not valid JSON (truncated?): ${text.length} bytes`)
  }
  const result = schema.safeParse(parsed)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new RefusedFile(`not a ${what} payload: ${issue.path.join('.') || '(top)'}: ${issue.message}`)
  }
  return result.data
}

/** Audience timeline JSON of one metric. */
export async function promoteTimeline(file: LakeFile, sink: PromoteSink, artists: readonly SpotifyArtist[]) {
  const artist = artistOf(file, artists)
  const metric = nameParts.metric(file.name)
  if (!metric) throw new RefusedFile(`cannot tell the metric (listeners/streams/followers) from the name ${file.name}`)
  const payload = await readJson(file, TimelinePayload, 'timeline')
  const notAfter = extractionDay(file)
  for (const [i, p] of payload.timelinePoint.entries()) {
    await sink.raw({ artist_id: artist.id, metric, date: p.date, num: p.num ?? null })
    if (p.num === null || p.num === undefined) continue
    const value = count(p.num)
    if (!isDate(p.date)) sink.quarantine(i + 1, `date "${p.date}" is not YYYY-MM-DD`, p)
    else if (notAfter && p.date > notAfter) sink.quarantine(i + 1, `date ${p.date} is in the future for an extract of ${file.extractedAt!.toISOString()}`, p)
    else if (value === null) sink.quarantine(i + 1, `${metric} "${p.num}" is not a count`, p)
    else await sink.staging('audience', { date: p.date, artist: artist.name, artist_id: artist.id, metric, value } satisfies AudienceValue)
  }
}

/** The Audience page's CSV download (`date,listeners,streams,followers`), e.g. imported by hand. */
export async function promoteAudienceCsv(file: LakeFile, sink: PromoteSink, artists: readonly SpotifyArtist[]) {
  const artist = artistOf(file, artists)
  const encoding = await detectTextEncoding(file.path)
  const notAfter = extractionDay(file)
  let index: Record<string, number> | null = null
  let columns = 0
  let lineNo = 0
  for await (const line of readLines(file.path, encoding)) {
    lineNo++
    if (!line.trim()) continue
    const fields = csvFields(line)
    if (!index) {
      const names = fields.map((h) =>
        h
          .replace(/^\uFEFF/, '')
          .trim()
          .toLowerCase(),
      )
      const missing = ['date', ...METRICS].filter((c) => !names.includes(c))
      if (missing.length) throw new RefusedFile(`not an S4A audience CSV: header lacks ${missing.join(', ')}`)
      index = Object.fromEntries(names.map((n, i) => [n, i]))
      columns = names.length
      continue
    }
    if (fields.length < columns) {
      sink.quarantine(lineNo, `${fields.length} of ${columns} fields (a row cut short?)`, line)
      continue
    }
    const record = Object.fromEntries(['date', ...METRICS].map((c) => [c, (fields[index![c]] ?? '').trim()]))
    await sink.raw({ artist_id: artist.id, ...record })
    if (!isDate(record.date)) {
      sink.quarantine(lineNo, `date "${record.date}" is not YYYY-MM-DD`, line)
      continue
    }
    if (notAfter && record.date > notAfter) {
      sink.quarantine(lineNo, `date ${record.date} is in the future for an extract of ${file.extractedAt!.toISOString()}`, line)
      continue
    }
    const bad = METRICS.find((m) => record[m] !== '' && count(record[m]) === null)
    if (bad) {
      sink.quarantine(lineNo, `${bad} "${record[bad]}" is not a count`, line)
      continue
    }
    for (const metric of METRICS) {
      if (record[metric] === '') continue
      await sink.staging('audience', {
        date: record.date,
        artist: artist.name,
        artist_id: artist.id,
        metric,
        value: count(record[metric])!,
      } satisfies AudienceValue)
    }
  }
  if (!index) throw new RefusedFile('the file is empty')
}

/** Per-song stats over one time filter: a snapshot, never a daily value. */
export async function promoteSongs(file: LakeFile, sink: PromoteSink, artists: readonly SpotifyArtist[]) {
  const artist = artistOf(file, artists)
  const payload = await readJson(file, SongsPayload, 'songs')
  const extracted = sink.lineage._extracted_at
  for (const [i, s] of songsOf(payload).entries()) {
    await sink.raw({ artist_id: artist.id, ...s })
    const counts = { streams: s.numStreams, listeners: s.numListeners, saves: s.numSavers, canvas_views: s.numCanvasViews }
    const bad = Object.entries(counts).find(([, v]) => v !== null && v !== undefined && count(v) === null)
    if (bad) {
      sink.quarantine(i + 1, `${bad[0]} "${bad[1]}" is not a count`, s)
      continue
    }
    const n = (v: unknown) => (v === null || v === undefined ? null : count(v))
    await sink.staging('song_stats', {
      extraction_date: extracted.slice(0, 10),
      time_filter: nameParts.range(file.name) ?? 'unknown',
      artist: artist.name,
      artist_id: artist.id,
      track_id: s.id,
      track_name: s.trackName ?? null,
      track_uri: s.trackUri ?? null,
      release_date: isDate(s.releaseDate) ? s.releaseDate : null,
      streams: n(s.numStreams),
      listeners: n(s.numListeners),
      saves: n(s.numSavers),
      canvas_views: n(s.numCanvasViews),
      is_disabled: s.isDisabled ?? null,
    })
  }
}

/** One song's daily streams timeline. */
export async function promoteSongTimeline(file: LakeFile, sink: PromoteSink, artists: readonly SpotifyArtist[]) {
  const artist = artistOf(file, artists)
  const track = nameParts.track(file.name)
  if (!track) throw new RefusedFile(`cannot tell the track from the name ${file.name}`)
  const payload = await readJson(file, TimelinePayload, 'song timeline')
  for (const [i, p] of payload.timelinePoint.entries()) {
    await sink.raw({ artist_id: artist.id, track_id: track, date: p.date, num: p.num ?? null })
    if (p.num === null || p.num === undefined) continue
    const streams = count(p.num)
    if (!isDate(p.date)) sink.quarantine(i + 1, `date "${p.date}" is not YYYY-MM-DD`, p)
    else if (streams === null) sink.quarantine(i + 1, `streams "${p.num}" is not a count`, p)
    else await sink.staging('track_daily', { date: p.date, artist: artist.name, artist_id: artist.id, track_id: track, streams })
  }
}

/** Web API artist object; followers/popularity absent (Development Mode since 2026) stay null. */
export async function promoteArtistProfile(file: LakeFile, sink: PromoteSink, artists: readonly SpotifyArtist[]) {
  const a = await readJson(file, ArtistObject, 'Web API artist')
  await sink.raw({ ...a })
  const profile = artistProfile(a)
  const artist = artistById(a.id, artists)?.name ?? canonicalArtist(a.name)
  await sink.staging('artist_profile', { snapshot_at: sink.lineage._extracted_at, artist, ...profile })
}
