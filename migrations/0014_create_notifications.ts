/** Notifications sent to people, one row per event (the event key makes "once per event" hold). Frozen. */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('event_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('account', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('command', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Per channel: when it was delivered, or the last error and the number of attempts.
    .addColumn('webhook_at', 'text')
    .addColumn('email_at', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute()
  await db.schema.createIndex('notifications_created').on('notifications').column('created_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notifications').execute()
}
