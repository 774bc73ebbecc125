/** The snapshot tables only Spotify writes, added to the warehouse's table types from here (module augmentation). */
import type { Lineage } from '../../lib/warehouse/schema.ts'

export interface SpotifySongStatsTable extends Lineage {
  extraction_date: string
  time_filter: string
  artist: string
  track_id: string
  track_name: string | null
  release_date: string | null
  streams: number | null
  listeners: number | null
  saves: number | null
  canvas_views: number | null
}

export interface SpotifyArtistProfilesTable extends Lineage {
  snapshot_at: string
  artist: string
  artist_id: string | null
  name: string | null
  followers: number | null
  popularity: number | null
  genres: string | null
}

declare module '../../lib/warehouse/schema.ts' {
  interface DB {
    spotify_song_stats: SpotifySongStatsTable
    spotify_artist_profiles: SpotifyArtistProfilesTable
  }
}
