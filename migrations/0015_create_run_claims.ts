/**
 * Single flight as one atomic claim per source (a lease renewed while the run goes, so a dead holder
 * blocks nobody for longer than its lease, whatever became of its pid), and the daily run's outcome per
 * source and day (catch-up reruns exactly the sources that did not complete). Frozen: never import app code.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema
      .createTable('run_claims')
      .addColumn('source', 'text', (c) => c.primaryKey())
      .addColumn('run_id', 'text', (c) => c.notNull())
      // host:pid:instance — the pid only speeds up taking over from a holder known to be dead.
      .addColumn('holder', 'text', (c) => c.notNull())
      // Epoch milliseconds: compared as numbers, not as text in some time zone.
      .addColumn('lease_until', 'integer', (c) => c.notNull())
      .execute()
    await trx.schema
      .createTable('daily_runs')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      // pending (not ended yet) | ok | skipped | needs_auth | failed | busy | error
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      .addColumn('message', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('daily_runs_pk', ['day', 'source'])
      .execute()
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('daily_runs').execute()
  await db.schema.dropTable('run_claims').execute()
}
