/**
 * @module Removing the rows a snapshot no longer carries. A source that re-serves its history (the
 * DistroKid ledger) replaces its rows by key: the load upserts every current row (rewriting only the
 * changed ones), then deletes those of its rows whose key the current data lacks. On a large table
 * that differs in 1% of rows this writes ~1% of rows, where delete-all + insert would rewrite them all.
 */
import type { BulkWriter } from './bulk.ts'

export interface PruneSpec {
  table: string
  key: string
  /** Only rows matching these column values are the loader's to prune (e.g. its distributor). */
  where: Record<string, string>
}

/** Deletes, inside the writer's transaction, the matching rows whose key `keep` rejects; returns how many. */
export function pruneMissing(w: BulkWriter, spec: PruneSpec, keep: (key: string) => boolean): number {
  const cols = Object.keys(spec.where)
  const filter = cols.length ? `WHERE ${cols.map((c) => `${c} = ?`).join(' AND ')}` : ''
  const scan = w.db.prepare(`SELECT rowid, ${spec.key} FROM ${spec.table} ${filter}`).raw()
  const gone: number[] = []
  for (const [rowid, key] of scan.iterate(...cols.map((c) => spec.where[c])) as Iterable<[number, string]>) {
    if (!keep(key)) gone.push(rowid)
  }
  const del = w.db.prepare(`DELETE FROM ${spec.table} WHERE rowid = ?`)
  let deleted = 0
  for (const rowid of gone) deleted += del.run(rowid).changes
  return deleted
}
