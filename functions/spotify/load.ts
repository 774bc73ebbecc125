/**
 * Spotify loader: curated audience → spotify_audience_daily (date × artist), curated per-song daily
 * streams → spotify_track_daily (date × artist × track), per-song window totals → spotify_song_stats
 * and Web API profiles → spotify_artist_profiles (snapshots), upserted on their natural keys in one
 * transaction. Nothing goes to streams_daily: S4A streams overlap the distributors' (double-count rule).
 * A curated file whose bytes were already loaded is skipped.
 */
import { defineLoader } from '../../lib/define.ts'
import { readCsv } from '../../lib/lake/lines.ts'
import { withBulkWriter } from '../../lib/warehouse/bulk.ts'
import { changedCurated, markLoaded } from '../../lib/warehouse/loaded.ts'
import { CURATED } from './curate.ts'
import './tables.ts'

const AUDIENCE = {
  table: 'spotify_audience_daily',
  key: ['date', 'artist'],
  measures: ['listeners', 'streams', 'followers'],
  lineage: ['extracted_at', 'run_id'],
} as const
const TRACK_DAILY = {
  table: 'spotify_track_daily',
  key: ['date', 'artist', 'track_id'],
  measures: ['track_name', 'isrc', 'streams', 'listeners', 'saves'],
  lineage: ['extracted_at', 'run_id'],
} as const

const SONG_STATS = {
  table: 'spotify_song_stats',
  key: ['extraction_date', 'time_filter', 'artist', 'track_id'],
  measures: ['track_name', 'release_date', 'streams', 'listeners', 'saves', 'canvas_views'],
  lineage: ['extracted_at', 'run_id'],
} as const
const PROFILES = {
  table: 'spotify_artist_profiles',
  key: ['snapshot_at', 'artist'],
  measures: ['artist_id', 'name', 'followers', 'popularity', 'genres'],
  lineage: ['extracted_at', 'run_id'],
} as const

/** An empty curated cell is "not reported": NULL, never 0. */
const int = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s))

export default defineLoader({
  source: 'spotify',
  description: 'Curated S4A audience and per-song daily streams → spotify_audience_daily and spotify_track_daily',
  async run(ctx) {
    const { db } = ctx.wh
    const files = [
      { name: 'audience', path: ctx.lake.curatedPath('spotify', CURATED.audience) },
      { name: 'track_daily', path: ctx.lake.curatedPath('spotify', CURATED.trackDaily) },
      { name: 'song_stats', path: ctx.lake.curatedPath('spotify', CURATED.songStats) },
      { name: 'profiles', path: ctx.lake.curatedPath('spotify', CURATED.profiles) },
    ]
    const pending = await changedCurated(db, 'spotify', files)
    if (!pending.length) return { status: 'skipped', message: 'curated data unchanged since the last load' }

    let rowsIn = 0
    let newest: string | null = null
    const { changes } = await withBulkWriter(ctx.config.warehouseFile, async (w) => {
      for (const f of pending) {
        if (f.name === 'audience') {
          const put = w.upsert(AUDIENCE)
          for await (const r of readCsv(f.path)) {
            rowsIn++
            put([r.date, r.artist, int(r.listeners), int(r.streams), int(r.followers), r.extracted_at, ctx.runId])
            if (!newest || r.date > newest) newest = r.date
          }
        } else if (f.name === 'song_stats') {
          const put = w.upsert(SONG_STATS)
          for await (const r of readCsv(f.path)) {
            rowsIn++
            put([
              r.extraction_date,
              r.time_filter,
              r.artist,
              r.track_id,
              r.track_name || null,
              r.release_date || null,
              int(r.streams),
              int(r.listeners),
              int(r.saves),
              int(r.canvas_views),
              r.extracted_at,
              ctx.runId,
            ])
          }
        } else if (f.name === 'profiles') {
          const put = w.upsert(PROFILES)
          for await (const r of readCsv(f.path)) {
            rowsIn++
            put([r.snapshot_at, r.artist, r.artist_id || null, r.name || null, int(r.followers), int(r.popularity), r.genres || null, r.snapshot_at, ctx.runId])
          }
        } else {
          const put = w.upsert(TRACK_DAILY)
          for await (const r of readCsv(f.path)) {
            rowsIn++
            put([r.date, r.artist, r.track_id, r.track_name || null, null, int(r.streams), null, null, r.extracted_at, ctx.runId])
          }
        }
      }
    })
    await markLoaded(db, 'spotify', pending, newest)
    return { status: 'ok', filesIn: pending.length, rowsIn, rowsOut: changes, message: `${changes} rows inserted or changed` }
  },
})
