/**
 * Spotify for Artists snapshots: per-song totals over a time filter (as of the day they were read) and
 * the Web API artist profile (followers, popularity). Levels and window totals: never summed across
 * snapshots.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('spotify_song_stats')
      .addColumn('extraction_date', 'text', (c) => c.notNull())
      .addColumn('time_filter', 'text', (c) => c.notNull())
      .addColumn('artist', 'text', (c) => c.notNull())
      .addColumn('track_id', 'text', (c) => c.notNull())
      .addColumn('track_name', 'text')
      .addColumn('release_date', 'text')
      .addColumn('streams', 'integer')
      .addColumn('listeners', 'integer')
      .addColumn('saves', 'integer')
      .addColumn('canvas_views', 'integer')
      .addColumn('extracted_at', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addPrimaryKeyConstraint('spotify_song_stats_pk', ['extraction_date', 'time_filter', 'artist', 'track_id'])
      .modifyEnd(sql`without rowid`)
      .execute()
    await trx.schema
      .createTable('spotify_artist_profiles')
      .addColumn('snapshot_at', 'text', (c) => c.notNull())
      .addColumn('artist', 'text', (c) => c.notNull())
      .addColumn('artist_id', 'text')
      .addColumn('name', 'text')
      .addColumn('followers', 'integer')
      .addColumn('popularity', 'integer')
      .addColumn('genres', 'text')
      .addColumn('extracted_at', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addPrimaryKeyConstraint('spotify_artist_profiles_pk', ['snapshot_at', 'artist'])
      .modifyEnd(sql`without rowid`)
      .execute()
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('spotify_artist_profiles').execute()
  await db.schema.dropTable('spotify_song_stats').execute()
}
