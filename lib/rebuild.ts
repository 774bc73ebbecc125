/**
 * @module Rebuild from landing (landing is the only source of truth): a source's raw, staging and
 * curated outputs and hash ledgers are cleared (curated moved to the archive first), landing is left
 * untouched, and the runner then re-promotes everything with the current code and replaces the
 * source's warehouse rows in one transaction (warehouse/replace.ts). A `rebuild_pending` mark is set
 * before anything is cleared and removed only after the load, so a rebuild killed half-way is finished
 * by the next run of that source.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import type { Context } from './context.ts'
import { sha256File } from './lake/hash.ts'
import { exists } from './lake/lake.ts'
import { stamp } from './lake/zones.ts'
import type { OpsDb } from './warehouse/ops.ts'

export const REBUILD_PENDING = 'rebuild_pending'
/** Set while a clean step runs: found at start, the clean was killed and curated may be behind landing. */
export const CLEAN_PENDING = 'clean_pending'

async function setMark(ops: OpsDb, source: string, key: string, value: string | null) {
  await ops.write(async (db) => {
    if (value === null) await db.deleteFrom('source_state').where('source', '=', source).where('key', '=', key).execute()
    else
      await db
        .insertInto('source_state')
        .values({ source, key, value, updated_at: new Date().toISOString() })
        .onConflict((oc) => oc.columns(['source', 'key']).doUpdateSet({ value, updated_at: new Date().toISOString() }))
        .execute()
  })
}

export const markPending = (ops: OpsDb, source: string, key: string, runId: string) => setMark(ops, source, key, runId)
export const clearPending = (ops: OpsDb, source: string, key: string) => setMark(ops, source, key, null)

/** Whether a previous run of this source ended inside a rebuild or a clean (then this run rebuilds). */
export async function healNeeded(ops: OpsDb, source: string): Promise<string | null> {
  const rows = await ops.db
    .selectFrom('source_state')
    .select(['key', 'value'])
    .where('source', '=', source)
    .where('key', 'in', [REBUILD_PENDING, CLEAN_PENDING])
    .execute()
  const r = rows.find((x) => x.key === REBUILD_PENDING) ?? rows[0]
  return r ? `${r.key === REBUILD_PENDING ? 'a rebuild' : 'a clean'} (run ${r.value}) ended before finishing` : null
}

export interface Prepared {
  /** Curated files moved to the archive, with their hashes: dropped again when rebuilt identical. */
  archived: { name: string; path: string; hash: string }[]
}

/** Clears everything of `source` downstream of landing. */
export async function prepareRebuild(ctx: Context, ops: OpsDb, source: string): Promise<Prepared> {
  await markPending(ops, source, REBUILD_PENDING, ctx.runId)
  for (const zone of ['raw', 'staging'] as const) await rm(ctx.lake.dir(zone, source), { recursive: true, force: true })
  const curated = ctx.lake.dir('curated', source)
  const archiveDir = path.join(ctx.lake.dir('archive', source), `${stamp(ctx.now)}_rebuild_${ctx.runId}`)
  const archived: Prepared['archived'] = []
  for (const name of await readdir(curated).catch(() => [] as string[])) {
    if (name.startsWith('.')) continue
    // Underscored files are bookkeeping (a curated file's input manifest), rewritten with it: not archived.
    if (name.startsWith('_')) {
      await rm(path.join(curated, name), { force: true })
      continue
    }
    await mkdir(archiveDir, { recursive: true })
    const to = path.join(archiveDir, name)
    await rename(path.join(curated, name), to)
    archived.push({ name, path: to, hash: await sha256File(to) })
  }
  await ops.write(async (db) => {
    // Re-promotion records them again; the loaded hashes would make the loaders skip.
    await db.deleteFrom('quarantine').where('source', '=', source).execute()
    await db.deleteFrom('source_state').where('source', '=', source).where('key', 'like', 'loaded:%').execute()
  })
  return { archived }
}

/** Drops archived copies the rebuild reproduced byte for byte; clears the marks. */
export async function finishRebuild(ctx: Context, ops: OpsDb, source: string, prepared: Prepared): Promise<void> {
  for (const a of prepared.archived) {
    const now = path.join(ctx.lake.dir('curated', source), a.name)
    if ((await exists(now)) && (await sha256File(now)) === a.hash) await rm(a.path, { force: true })
  }
  const dirs = new Set(prepared.archived.map((a) => path.dirname(a.path)))
  for (const d of dirs) if (!(await readdir(d)).length) await rm(d, { recursive: true, force: true })
  await clearPending(ops, source, CLEAN_PENDING)
  await clearPending(ops, source, REBUILD_PENDING)
}
