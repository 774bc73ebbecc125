/**
 * @module The warehouse: SQLite through better-sqlite3 (WAL, foreign keys on), typed with Kysely.
 * Bulk loads use the raw handle with prepared statements (Kysely's builder costs ~1.7x on large loads).
 */
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { Kysely, SqliteDialect } from 'kysely'
import type { DB } from './schema.ts'
import { migrateToLatest } from './migrator.ts'

export interface Warehouse {
  db: Kysely<DB>
  sqlite: Database.Database
  close(): Promise<void>
}

export async function openWarehouse(file: string): Promise<Warehouse> {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true })
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) })
  await migrateToLatest(db)
  return {
    db,
    sqlite,
    async close() {
      await db.destroy()
    },
  }
}
