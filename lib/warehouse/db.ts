/**
 * @module The warehouse: SQLite through better-sqlite3 (WAL, foreign keys on), typed with Kysely.
 * Bulk loads use the raw handle with prepared statements (Kysely's builder costs ~1.7x on large loads).
 */
import Database from 'better-sqlite3'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
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
  if (file !== ':memory:') privateFile(file)
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

/**
 * Creates the database file 0600 before SQLite opens it (SQLite gives its -wal and -shm files the
 * database file's mode), and tightens the files of a warehouse created before that.
 */
function privateFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  closeSync(openSync(file, 'a', 0o600))
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600)
}
