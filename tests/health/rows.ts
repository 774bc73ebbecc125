/** A business day of data for a source, written where its declaration's `freshness` reads it. */
import type { Kysely } from 'kysely'
import type { DB } from '../../lib/warehouse/schema.ts'

export async function dataDay(db: Kysely<DB>, source: string, date: string): Promise<void> {
  const lineage = { extracted_at: new Date().toISOString(), run_id: null }
  if (source === 'spotify') {
    await db
      .insertInto('spotify_audience_daily')
      .values({ date, artist: 'ZONE A0', listeners: 1, streams: 1, followers: 1, ...lineage })
      .execute()
    return
  }
  await db
    .insertInto('streams_daily')
    .values({ date, distributor: source, platform: 'spotify', streams: 1, ...lineage })
    .execute()
}
