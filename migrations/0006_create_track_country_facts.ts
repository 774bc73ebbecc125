/**
 * Per-track and per-country stream totals over a reporting window (TooLost's Apple `tracksTotal` and
 * `countryTotal`: year-to-date totals as of the payload's newest day). Each row is a snapshot, keyed by
 * its window (period_from … period_to) and the track or country: the same window served again replaces
 * its rows (newest extract wins), and rows of different windows overlap, so they are never summed.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('track_streams_snapshot')
      .addColumn('distributor', 'text', (c) => c.notNull())
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('period_from', 'text', (c) => c.notNull())
      .addColumn('period_to', 'text', (c) => c.notNull())
      .addColumn('isrc', 'text', (c) => c.notNull())
      .addColumn('title', 'text')
      .addColumn('release', 'text')
      .addColumn('streams', 'integer', (c) => c.notNull())
      .addColumn('extracted_at', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addPrimaryKeyConstraint('track_streams_snapshot_pk', ['distributor', 'platform', 'period_from', 'period_to', 'isrc'])
      .modifyEnd(sql`without rowid`)
      .execute()
    await trx.schema
      .createTable('country_streams_snapshot')
      .addColumn('distributor', 'text', (c) => c.notNull())
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('period_from', 'text', (c) => c.notNull())
      .addColumn('period_to', 'text', (c) => c.notNull())
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('streams', 'integer', (c) => c.notNull())
      .addColumn('extracted_at', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addPrimaryKeyConstraint('country_streams_snapshot_pk', ['distributor', 'platform', 'period_from', 'period_to', 'country'])
      .modifyEnd(sql`without rowid`)
      .execute()
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('country_streams_snapshot').execute()
  await db.schema.dropTable('track_streams_snapshot').execute()
}
