/**
 * @module Writes of run bookkeeping (claims, runs, steps, daily outcomes) on their own connection that
 * never blocks the event loop: better-sqlite3 waits for a busy database synchronously, and a load in
 * this same process (bulk.ts holds the write lock across awaits) could only finish once the event loop
 * runs again. So: busy_timeout 0 here, and a busy database is retried after an asynchronous pause.
 */
import Database from 'better-sqlite3'
import { setTimeout as sleep } from 'node:timers/promises'
import { Kysely, SqliteDialect } from 'kysely'
import type { DB } from './schema.ts'

export interface OpsDb {
  db: Kysely<DB>
  /** Runs `fn`, retrying while the database is busy, up to `patienceMs`. */
  write<T>(fn: (db: Kysely<DB>) => Promise<T>, patienceMs?: number): Promise<T>
  close(): Promise<void>
}

const isBusy = (err: unknown) => {
  const code = (err as { code?: string }).code ?? ''
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
}

export function openOps(file: string, shared?: Database.Database): OpsDb {
  // An in-memory warehouse exists only on its one connection.
  const sqlite = file === ':memory:' && shared ? shared : new Database(file)
  if (sqlite !== shared) {
    sqlite.pragma('busy_timeout = 0')
    sqlite.pragma('foreign_keys = ON')
  }
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) })
  return {
    db,
    async write(fn, patienceMs = 60_000) {
      const until = Date.now() + patienceMs
      for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
        try {
          return await fn(db)
        } catch (err) {
          if (!isBusy(err) || Date.now() > until) throw err
          await sleep(pause)
        }
      }
    },
    async close() {
      if (sqlite !== shared) await db.destroy()
    },
  }
}

export { isBusy }
