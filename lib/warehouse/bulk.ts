/**
 * @module Bulk upserts on a natural key, on a separate write connection inside one transaction. A
 * separate connection matters: readers on the main connection (KPI requests during a load) must not
 * see the load's uncommitted rows. An upsert only rewrites a row when a measure changed, so loading
 * the same data twice leaves every row — lineage included — as it was.
 */
import Database from 'better-sqlite3'
import { applyPendingReplace } from './replace.ts'

export interface UpsertSpec {
  table: string
  /**
   * Into an empty table, insert without the conflict check and build the table's indexes afterwards
   * (a sort instead of a million random index inserts). A duplicate key then fails the index build,
   * which rolls the whole load back: the input must be unique on the key, as curated files are.
   */
  bulkWhenEmpty?: boolean
  key: readonly string[]
  /** Columns compared to decide whether an existing row changed. */
  measures: readonly string[]
  /** Lineage columns, rewritten only together with a changed measure. */
  lineage?: readonly string[]
}

export interface BulkWriter {
  upsert(spec: UpsertSpec): (values: unknown[]) => void
  db: Database.Database
  /** Rows changed so far (set back by a caller that rolled back to a savepoint). */
  changes: number
}

/**
 * Runs `fn` in one transaction on a fresh connection to `file`; commits when it resolves, rolls back
 * when it throws. Returns fn's result and how many rows changed.
 */
export async function withBulkWriter<T>(file: string, fn: (w: BulkWriter) => Promise<T>): Promise<{ result: T; changes: number }> {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('busy_timeout = 10000')
  let changes = 0
  const rebuild: string[] = []
  const writer: BulkWriter = {
    db,
    get changes() {
      return changes
    },
    set changes(n: number) {
      changes = n
    },
    upsert(spec) {
      const cols = [...spec.key, ...spec.measures, ...(spec.lineage ?? [])]
      const empty = !db.prepare(`SELECT 1 FROM ${spec.table} LIMIT 1`).get()
      if (spec.bulkWhenEmpty && empty) {
        db.pragma('cache_size = -16384')
        const indexes = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(spec.table) as {
          name: string
          sql: string
        }[]
        for (const ix of indexes) {
          db.exec(`DROP INDEX ${ix.name}`)
          rebuild.push(ix.sql)
        }
        // 16 MB of cache: appends and index builds (sorts) need no more, and memory stays low.
        const insert = db.prepare(`INSERT INTO ${spec.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
        return (values) => {
          changes += insert.run(values).changes
        }
      }
      // Upserts into a populated table probe its key index at random: keep that index in memory.
      db.pragma('cache_size = -65536')
      const set = [...spec.measures, ...(spec.lineage ?? [])].map((c) => `${c} = excluded.${c}`).join(', ')
      const changed = spec.measures.map((c) => `${spec.table}.${c} IS NOT excluded.${c}`).join(' OR ')
      const stmt = db.prepare(
        `INSERT INTO ${spec.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
         ON CONFLICT (${spec.key.join(', ')}) DO UPDATE SET ${set} WHERE ${changed}`,
      )
      return (values) => {
        changes += stmt.run(values).changes
      }
    },
  }
  try {
    db.exec('BEGIN IMMEDIATE')
    applyPendingReplace(db)
    const result = await fn(writer)
    for (const sql of rebuild) db.exec(sql)
    db.exec('COMMIT')
    return { result, changes }
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK')
    throw err
  } finally {
    db.close()
  }
}
