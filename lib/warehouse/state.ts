/** @module Per-source key/value state in the warehouse (last loaded file hashes, newest business date). */
import type { Kysely } from 'kysely'
import type { DB } from './schema.ts'

export async function getState(db: Kysely<DB>, source: string, key: string): Promise<string | null> {
  const row = await db.selectFrom('source_state').select('value').where('source', '=', source).where('key', '=', key).executeTakeFirst()
  return row?.value ?? null
}

export async function setState(db: Kysely<DB>, source: string, key: string, value: string): Promise<void> {
  await db
    .insertInto('source_state')
    .values({ source, key, value, updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['source', 'key']).doUpdateSet({ value, updated_at: new Date().toISOString() }))
    .execute()
}
