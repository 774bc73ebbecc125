/**
 * Social, ads, link-in-bio, video and e-mail facts (WAREHOUSE.md). Daily values and lifetime snapshots
 * live in separate tables: snapshots are never summed across snapshot times. Meta ids are 18-digit
 * strings above 2^53, so they are TEXT; money is integer cents (Meta spend has at most 2 decimals).
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const lineage = (t: any) => t.addColumn('extracted_at', 'text', (c: any) => c.notNull()).addColumn('run_id', 'text')
    await lineage(
      trx.schema
        .createTable('social_daily')
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('artist', 'text')
        .addColumn('views', 'integer')
        .addColumn('profile_views', 'integer')
        .addColumn('likes', 'integer')
        .addColumn('comments', 'integer')
        .addColumn('shares', 'integer')
        .addColumn('followers', 'integer')
        .addColumn('reach', 'integer'),
    )
      .addPrimaryKeyConstraint('social_daily_pk', ['date', 'platform', 'account'])
      .modifyEnd(sql`without rowid`)
      .execute()
    await lineage(
      trx.schema
        .createTable('ad_campaigns')
        .addColumn('campaign_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text')
        .addColumn('objective', 'text')
        .addColumn('artist', 'text')
        .addColumn('track', 'text')
        .addColumn('targeting', 'text'),
    ).execute()
    await lineage(
      trx.schema
        .createTable('ad_insights_daily')
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('adset_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('spend_cents', 'integer', (c) => c.notNull())
        .addColumn('impressions', 'integer', (c) => c.notNull())
        .addColumn('clicks', 'integer', (c) => c.notNull())
        .addColumn('reach', 'integer'),
    )
      .addPrimaryKeyConstraint('ad_insights_daily_pk', ['date', 'campaign_id', 'adset_id'])
      .modifyEnd(sql`without rowid`)
      .execute()
    await lineage(
      trx.schema
        .createTable('ad_snapshots')
        .addColumn('snapshot_at', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('object_id', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('status', 'text')
        .addColumn('date_start', 'text')
        .addColumn('date_stop', 'text')
        .addColumn('spend_cents', 'integer', (c) => c.notNull())
        .addColumn('impressions', 'integer', (c) => c.notNull())
        .addColumn('clicks', 'integer', (c) => c.notNull())
        .addColumn('reach', 'integer'),
    )
      .addPrimaryKeyConstraint('ad_snapshots_pk', ['snapshot_at', 'level', 'object_id'])
      .modifyEnd(sql`without rowid`)
      .execute()
    await lineage(
      trx.schema
        .createTable('link_daily')
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('views', 'integer')
        .addColumn('unique_views', 'integer')
        .addColumn('clicks', 'integer')
        .addColumn('unique_clicks', 'integer'),
    )
      .addPrimaryKeyConstraint('link_daily_pk', ['date', 'account'])
      .modifyEnd(sql`without rowid`)
      .execute()
    await lineage(
      trx.schema
        .createTable('link_clicks')
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('link_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text')
        .addColumn('clicks', 'integer', (c) => c.notNull()),
    )
      .addPrimaryKeyConstraint('link_clicks_pk', ['date', 'link_id'])
      .modifyEnd(sql`without rowid`)
      .execute()
    await lineage(
      trx.schema
        .createTable('youtube_daily')
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('views', 'integer')
        .addColumn('watch_minutes', 'integer')
        .addColumn('subscribers_gained', 'integer')
        .addColumn('subscribers_lost', 'integer'),
    )
      .addPrimaryKeyConstraint('youtube_daily_pk', ['date', 'channel'])
      .modifyEnd(sql`without rowid`)
      .execute()
    await lineage(
      trx.schema
        .createTable('email_daily')
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('list_id', 'text', (c) => c.notNull())
        .addColumn('members', 'integer')
        .addColumn('subscribes', 'integer')
        .addColumn('unsubscribes', 'integer'),
    )
      .addPrimaryKeyConstraint('email_daily_pk', ['date', 'list_id'])
      .modifyEnd(sql`without rowid`)
      .execute()
    await lineage(
      trx.schema
        .createTable('email_campaigns')
        .addColumn('campaign_id', 'text', (c) => c.primaryKey())
        .addColumn('list_id', 'text')
        .addColumn('send_time', 'text')
        .addColumn('emails_sent', 'integer')
        .addColumn('opens', 'integer')
        .addColumn('unique_opens', 'integer')
        .addColumn('clicks', 'integer')
        .addColumn('unique_clicks', 'integer'),
    ).execute()
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'email_campaigns',
    'email_daily',
    'youtube_daily',
    'link_clicks',
    'link_daily',
    'ad_snapshots',
    'ad_insights_daily',
    'ad_campaigns',
    'social_daily',
  ]) {
    await db.schema.dropTable(t).execute()
  }
}
