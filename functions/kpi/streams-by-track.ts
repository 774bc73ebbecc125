/**
 * Streams per track (ISRC) from the distributors' own per-track totals (TooLost's Apple Music
 * `tracksTotal`): each is a total over its reporting window (year to date), so the newest snapshot
 * ending by the window's end is shown with its own period, never summed with older ones. Spotify for
 * Artists per-song daily streams in the window are listed beside it (`spotifyForArtists`), never added
 * in: they overlap the distributors' counts (the double-count rule).
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { newestSnapshots, snapshotRange } from '../../lib/kpi/snapshots.ts'

export default defineKpi({
  name: 'streams-by-track',
  title: 'Streams by track',
  unit: 'streams',
  description: 'per ISRC: the distributors’ newest per-track totals (their own period); Spotify for Artists per song beside them',
  sources: ['toolost', 'spotify'],
  range: snapshotRange('track_streams_snapshot'),
  async compute(env, w) {
    const snaps = await newestSnapshots(env, 'track_streams_snapshot', w)
    const breakdown = snaps.flatMap((s) =>
      s.rows.map((r) => ({
        key: String(r.isrc),
        value: Number(r.streams),
        title: r.title,
        release: r.release,
        distributor: s.distributor,
        platform: s.platform,
        period: s.period,
      })),
    )
    breakdown.sort((a, b) => b.value - a.value || a.key.localeCompare(b.key))
    const s4a = await env.db
      .selectFrom('spotify_track_daily')
      .select([
        'track_id',
        sql<string | null>`max(track_name)`.as('title'),
        'artist',
        sql<number>`sum(streams)`.as('streams'),
        sql<number>`count(*)`.as('days'),
      ])
      .where('date', '>=', w.from)
      .where('date', '<=', w.to)
      .where('streams', 'is not', null)
      .groupBy(['track_id', 'artist'])
      .orderBy('streams', 'desc')
      .execute()
    return {
      value: breakdown.length ? breakdown.reduce((s, r) => s + r.value, 0) : null,
      tracks: breakdown.length,
      periods: snaps.map((s) => ({ distributor: s.distributor, platform: s.platform, ...s.period })),
      breakdown,
      spotifyForArtists: s4a.map((r) => ({ trackId: r.track_id, title: r.title, artist: r.artist, streams: Number(r.streams), days: Number(r.days) })),
      note: snaps.length
        ? `Totals as reported by ${snaps.map((s) => s.label).join('; ')} (the distributor's own period, not this window's days).`
        : 'No per-track totals from a distributor up to this window yet.',
    }
  },
})
