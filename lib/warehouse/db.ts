/**
 * @module The warehouse: SQLite through better-sqlite3 (WAL, foreign keys on), typed with Kysely.
 * Bulk loads use the raw handle with prepared statements (Kysely's builder costs ~1.7x on large loads).
 */
import Database from 'better-sqlite3'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { chmod } from 'node:fs/promises'
import path from 'node:path'
import { Kysely, SqliteDialect } from 'kysely'
import { withLock } from '../lock.ts'
import { stamp } from '../lake/zones.ts'
import type { DB } from './schema.ts'
import { migrateToLatest } from './migrator.ts'

export interface Warehouse {
  db: Kysely<DB>
  sqlite: Database.Database
  file: string
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
  try {
    if (file === ':memory:') await migrateToLatest(db)
    // Two first starts (server and a CLI) would otherwise both create the tables; the second waits,
    // then finds nothing left to do.
    else await withLock(file, () => migrateToLatest(db, { beforeChange: (version) => backupWarehouse(sqlite, file, version) }))
  } catch (err) {
    await db.destroy()
    throw err
  }
  return {
    db,
    sqlite,
    file,
    async close() {
      await db.destroy()
    },
  }
}

/**
 * A consistent copy (SQLite's online backup) named for the schema it has, taken before migrations
 * change an existing warehouse: `warehouse.schema-0005_add_revenue_kpi_index.20250601_060000.sqlite`.
 */
export async function backupWarehouse(sqlite: Database.Database, file: string, version: string): Promise<string> {
  const ext = path.extname(file)
  const dest = path.join(path.dirname(file), `${path.basename(file, ext)}.schema-${version}.${stamp(new Date())}${ext}`)
  await sqlite.backup(dest)
  await chmod(dest, 0o600)
  return dest
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
