/**
 * Linktree facts that are not daily: totals over a window (links, socials, referrers, devices,
 * countries, cities), keyed by the window they cover, and lifetime snapshots keyed by the day they
 * were read. Neither is ever summed across windows or snapshots; the latest capture of a window wins.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('link_totals')
      .addColumn('window_from', 'text', (c) => c.notNull())
      .addColumn('window_to', 'text', (c) => c.notNull())
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('title', 'text')
      .addColumn('views', 'integer')
      .addColumn('clicks', 'integer')
      .addColumn('extracted_at', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addPrimaryKeyConstraint('link_totals_pk', ['account', 'window_from', 'window_to', 'kind', 'key'])
      .modifyEnd(sql`without rowid`)
      .execute()
    await trx.schema
      .createTable('link_lifetime')
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('views', 'integer')
      .addColumn('clicks', 'integer')
      .addColumn('profile_clicks', 'integer')
      .addColumn('social_clicks', 'integer')
      .addColumn('subscribers', 'integer')
      .addColumn('extracted_at', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addPrimaryKeyConstraint('link_lifetime_pk', ['date', 'account'])
      .modifyEnd(sql`without rowid`)
      .execute()
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('link_lifetime').execute()
  await db.schema.dropTable('link_totals').execute()
}
