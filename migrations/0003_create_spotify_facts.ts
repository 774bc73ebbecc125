/**
 * Spotify for Artists facts, kept apart from distributor streams: they overlap, and the two are never
 * added together (the double-count rule). Listeners and followers are reported values, not sums.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('spotify_audience_daily')
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('artist', 'text', (c) => c.notNull())
      .addColumn('listeners', 'integer')
      .addColumn('streams', 'integer')
      .addColumn('followers', 'integer')
      .addColumn('extracted_at', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addPrimaryKeyConstraint('spotify_audience_daily_pk', ['date', 'artist'])
      .modifyEnd(sql`without rowid`)
      .execute()
    await trx.schema
      .createTable('spotify_track_daily')
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('artist', 'text', (c) => c.notNull())
      .addColumn('track_id', 'text', (c) => c.notNull())
      .addColumn('track_name', 'text')
      .addColumn('isrc', 'text')
      .addColumn('streams', 'integer')
      .addColumn('listeners', 'integer')
      .addColumn('saves', 'integer')
      .addColumn('extracted_at', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addPrimaryKeyConstraint('spotify_track_daily_pk', ['date', 'artist', 'track_id'])
      .modifyEnd(sql`without rowid`)
      .execute()
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('spotify_track_daily').execute()
  await db.schema.dropTable('spotify_audience_daily').execute()
}
