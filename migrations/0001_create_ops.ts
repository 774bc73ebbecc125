/** Ops tables: runs, steps, quarantine, source state. Frozen: never import app code here. */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('skip_extract', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('window_from', 'text')
      .addColumn('window_to', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('message', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      // The process that runs it: a `running` row whose process is gone was left by a crash.
      .addColumn('pid', 'integer')
      .execute()
    await trx.schema.createIndex('runs_source_started').on('runs').columns(['source', 'started_at']).execute()
    await trx.schema
      .createTable('steps')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('files_in', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('files_out', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rows_in', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rows_out', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rows_quarantined', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('message', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('steps_pk', ['run_id', 'step'])
      .execute()
    await trx.schema
      .createTable('quarantine')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('run_id', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('dataset', 'text', (c) => c.notNull())
      .addColumn('file', 'text', (c) => c.notNull())
      .addColumn('line', 'integer')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('record', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
      .execute()
    await trx.schema.createIndex('quarantine_source').on('quarantine').columns(['source', 'file']).execute()
    await trx.schema
      .createTable('source_state')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('source_state_pk', ['source', 'key'])
      .execute()
    await trx.schema
      .createTable('artists')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .execute()
    await trx.schema
      .createTable('artist_aliases')
      .addColumn('alias', 'text', (c) => c.primaryKey())
      .addColumn('artist', 'text', (c) => c.notNull().references('artists.name'))
      .execute()
    await trx
      .insertInto('artists')
      .values([{ name: 'ZONE A0' }, { name: 'PIG1987' }])
      .execute()
    const aliases: Record<string, string> = {
      'zone a0': 'ZONE A0',
      zone_a0: 'ZONE A0',
      'zone.a0': 'ZONE A0',
      zonea0: 'ZONE A0',
      'zone-a0': 'ZONE A0',
      pig1987: 'PIG1987',
      'pig 1987': 'PIG1987',
      pig_1987: 'PIG1987',
    }
    await trx
      .insertInto('artist_aliases')
      .values(Object.entries(aliases).map(([alias, artist]) => ({ alias, artist })))
      .execute()
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['artist_aliases', 'artists', 'source_state', 'quarantine', 'steps', 'runs']) {
    await db.schema.dropTable(t).execute()
  }
}
