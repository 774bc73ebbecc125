/**
 * Distributor facts: daily streams per (date, distributor, platform) and the revenue ledger keyed by
 * its line identity. Money is integer units of 1e-8 USD (DistroKid reports 8 decimals): SUM is exact.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('streams_daily')
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('distributor', 'text', (c) => c.notNull())
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('streams', 'integer', (c) => c.notNull())
      .addColumn('extracted_at', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addPrimaryKeyConstraint('streams_daily_pk', ['date', 'distributor', 'platform'])
      .modifyEnd(sql`without rowid`)
      .execute()
    await trx.schema
      .createTable('revenue_lines')
      .addColumn('line_id', 'text', (c) => c.notNull())
      .addColumn('distributor', 'text', (c) => c.notNull())
      .addColumn('reporting_date', 'text', (c) => c.notNull())
      .addColumn('sale_month', 'text', (c) => c.notNull())
      .addColumn('store', 'text', (c) => c.notNull())
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('artist', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('isrc', 'text', (c) => c.notNull())
      .addColumn('upc', 'text', (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('team_percentage', 'text', (c) => c.notNull())
      .addColumn('source_type', 'text', (c) => c.notNull())
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('withheld_e8', 'integer', (c) => c.notNull())
      .addColumn('earnings_e8', 'integer', (c) => c.notNull())
      .addColumn('recoup_e8', 'integer')
      .addColumn('date_inserted', 'text')
      .addColumn('extracted_at', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .execute()
    // A rowid table with a narrow unique index, not a WITHOUT ROWID table keyed by the (random) line
    // identity: rows append in load order and only the small index takes random inserts.
    await trx.schema.createIndex('revenue_lines_line_id').unique().on('revenue_lines').column('line_id').execute()
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('revenue_lines').execute()
  await db.schema.dropTable('streams_daily').execute()
}
