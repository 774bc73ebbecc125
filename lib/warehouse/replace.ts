/**
 * @module "Replace this source's rows": a rebuild deletes the rows a source owns and loads them again in
 * ONE transaction, so readers see the old rows or the new ones, never none. Loaders open their own
 * write transaction (bulk.ts); the rebuild runs the loader inside a scope, and the loader's first
 * transaction deletes the owned rows before its upserts.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type Database from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { DB } from './schema.ts'

/** Rows a source owns: a table, narrowed by equal-column filters (e.g. `{ distributor: 'toolost' }`). */
export interface OwnedRows {
  table: string
  where?: Record<string, string>
}

interface Scope {
  owned: readonly OwnedRows[]
  applied: boolean
}

const scope = new AsyncLocalStorage<Scope>()
const IDENT = /^[a-z_][a-z0-9_]*$/

function deleteSql(o: OwnedRows): { sql: string; params: string[] } {
  const cols = Object.keys(o.where ?? {})
  for (const n of [o.table, ...cols]) if (!IDENT.test(n)) throw new Error(`not a table or column name: ${JSON.stringify(n)}`)
  const where = cols.length ? ` WHERE ${cols.map((c) => `${c} = ?`).join(' AND ')}` : ''
  return { sql: `DELETE FROM ${o.table}${where}`, params: cols.map((c) => o.where![c]) }
}

/** Runs `fn` (a load step) so that its first write transaction starts by deleting `owned`. */
export async function withReplace<T>(owned: readonly OwnedRows[], fn: () => Promise<T>): Promise<{ result: T; applied: boolean }> {
  const s: Scope = { owned, applied: false }
  const result = await scope.run(s, fn)
  return { result, applied: s.applied }
}

/** Whether the caller runs inside `withReplace` (its source's rows are being replaced wholesale). */
export function replacing(): boolean {
  return scope.getStore() !== undefined
}

/** Called by bulk.ts right after BEGIN: deletes the owned rows once, inside that transaction. */
export function applyPendingReplace(db: Database.Database): void {
  const s = scope.getStore()
  if (!s || s.applied) return
  for (const o of s.owned) {
    const { sql, params } = deleteSql(o)
    db.prepare(sql).run(...params)
  }
  s.applied = true
}

/** When the loader wrote nothing (no curated data left), the owned rows still go: landing is the truth. */
export async function deleteOwned(db: Kysely<DB>, owned: readonly OwnedRows[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const o of owned) {
      let q = trx.deleteFrom(o.table as keyof DB)
      for (const [c, v] of Object.entries(o.where ?? {})) q = q.where(c as never, '=', v as never)
      await q.execute()
    }
  })
}
