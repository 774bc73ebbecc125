/**
 * YouTube channel totals (Data API v3 `statistics`) as snapshots: one row per channel per day they were
 * read. Lifetime counts are levels, never summed across snapshots.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('youtube_channels')
    .addColumn('snapshot_date', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('views', 'integer')
    .addColumn('subscribers', 'integer')
    .addColumn('videos', 'integer')
    .addColumn('extracted_at', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addPrimaryKeyConstraint('youtube_channels_pk', ['snapshot_date', 'channel'])
    .modifyEnd(sql`without rowid`)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('youtube_channels').execute()
}
