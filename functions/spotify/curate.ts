/**
 * staging → curated for Spotify, under 4_curated/spotify/. Each file is rebuilt from all staging of
 * its dataset, the newest extract winning per natural key; history that only older extracts carry
 * is kept. The audience merge is per (date, artist, metric), so a day whose newest extract lacks one
 * metric keeps that metric's older value instead of losing it; the result is one row per date × artist.
 */
import type { Context } from '../../lib/context.ts'
import { csvLine } from '../../lib/lake/lines.ts'
import { newestValueWins, newestWins } from '../../lib/lake/merge.ts'
import type { AudienceValue } from './landing.ts'

export const CURATED = {
  audience: 'spotify_audience_curated.csv',
  trackDaily: 'spotify_track_daily_curated.csv',
  songStats: 'spotify_song_stats_curated.csv',
  profiles: 'spotify_artist_profile_curated.csv',
} as const

export const AUDIENCE_HEADER = ['date', 'artist', 'artist_id', 'listeners', 'streams', 'followers', 'extracted_at'] as const
export const TRACK_DAILY_HEADER = ['date', 'artist', 'track_id', 'track_name', 'streams', 'extracted_at'] as const
const SONG_STATS_HEADER = [
  'extraction_date',
  'time_filter',
  'artist',
  'artist_id',
  'track_id',
  'track_name',
  'release_date',
  'streams',
  'listeners',
  'saves',
  'canvas_views',
  'extracted_at',
] as const
const PROFILE_HEADER = ['snapshot_at', 'artist', 'artist_id', 'name', 'followers', 'popularity', 'genres'] as const

type Row = Record<string, unknown>

/** Writes rows (sorted by the given columns) as a curated CSV; the old version is archived on change. */
async function writeCurated(ctx: Context, name: string, header: readonly string[], rows: Row[], sortBy: readonly string[]) {
  const cmp = (a: Row, b: Row) => {
    for (const c of sortBy) {
      const x = String(a[c] ?? '')
      const y = String(b[c] ?? '')
      if (x !== y) return x < y ? -1 : 1
    }
    return 0
  }
  const out = await ctx.lake.curatedWriter('spotify', name)
  await out.write(csvLine(header))
  for (const r of rows.sort(cmp)) await out.write(csvLine(header.map((c) => r[c])))
  return ctx.lake.replaceCurated('spotify', ctx.lake.curatedPath('spotify', name), await out.finish())
}

async function staging(ctx: Context, dataset: string) {
  return ctx.lake.list('staging', 'spotify', dataset)
}

async function curateAudience(ctx: Context): Promise<number> {
  const files = await staging(ctx, 'audience')
  if (!files.length) return 0
  const days = new Map<string, Row>()
  // A value a newer extract merely repeats keeps its first extraction time: unchanged days leave the
  // curated file as it was (no rewrite, no archive copy).
  for (const v of await newestValueWins<AudienceValue>(
    files,
    (r) => `${r.artist}|${r.date}|${r.metric}`,
    (r) => r.value,
  )) {
    const key = `${v.artist}|${v.date}`
    let row = days.get(key)
    if (!row)
      days.set(key, (row = { date: v.date, artist: v.artist, artist_id: v.artist_id, listeners: null, streams: null, followers: null, extracted_at: '' }))
    row[v.metric] = v.value
    if (v._extracted_at > (row.extracted_at as string)) row.extracted_at = v._extracted_at
  }
  await writeCurated(ctx, CURATED.audience, AUDIENCE_HEADER, [...days.values()], ['date', 'artist'])
  return days.size
}

interface SongStat {
  extraction_date: string
  time_filter: string
  artist: string
  track_id: string
  track_name: string | null
}

async function curateSongs(ctx: Context): Promise<{ songs: number; trackDays: number }> {
  const statFiles = await staging(ctx, 'song_stats')
  const stats: Row[] = []
  const names = new Map<string, string>()
  for await (const s of newestWins<SongStat & Row>(statFiles, (r) => `${r.artist}|${r.track_id}|${r.time_filter}|${r.extraction_date}`)) {
    stats.push({ ...s, extracted_at: s._extracted_at })
    // Rows come newest extract first: the first name seen for a track is its current title.
    if (s.track_name && !names.has(s.track_id)) names.set(s.track_id, s.track_name)
  }
  if (stats.length) await writeCurated(ctx, CURATED.songStats, SONG_STATS_HEADER, stats, ['extraction_date', 'time_filter', 'artist', 'track_id'])

  const dailyFiles = await staging(ctx, 'track_daily')
  const daily: Row[] = []
  for (const d of await newestValueWins<{ date: string; artist: string; track_id: string; streams: number }>(
    dailyFiles,
    (r) => `${r.artist}|${r.track_id}|${r.date}`,
    (r) => r.streams,
  )) {
    daily.push({ ...d, track_name: names.get(d.track_id) ?? null, extracted_at: d._extracted_at })
  }
  if (daily.length) await writeCurated(ctx, CURATED.trackDaily, TRACK_DAILY_HEADER, daily, ['date', 'artist', 'track_id'])
  return { songs: stats.length, trackDays: daily.length }
}

async function curateProfiles(ctx: Context): Promise<number> {
  const rows: Row[] = []
  for await (const p of newestWins<Row>(await staging(ctx, 'artist_profile'), (r) => `${r.artist_id}|${r.snapshot_at}`)) rows.push(p)
  if (rows.length) await writeCurated(ctx, CURATED.profiles, PROFILE_HEADER, rows, ['snapshot_at', 'artist'])
  return rows.length
}

/** Rebuilds every Spotify curated file that has staging behind it; returns row counts. */
export async function curateSpotify(ctx: Context) {
  const audience = await curateAudience(ctx)
  const songs = await curateSongs(ctx)
  const profiles = await curateProfiles(ctx)
  return { audience, ...songs, profiles }
}
