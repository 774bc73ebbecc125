/**
 * @module Retention of 5_archive: old versions of curated files are kept 7 years (the books a label
 * keeps), then pruned. A version's age is the archive stamp its name starts with, else the file's
 * modification time. Pruning is a dry run unless asked to delete.
 */
import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Lake } from './lake.ts'
import { parseStamp, ZONES } from './zones.ts'

export const RETENTION_YEARS = 7

export interface PruneResult {
  cutoff: string
  /** Paths relative to the archive zone, oldest first. */
  expired: { file: string; archivedAt: string; bytes: number }[]
  deleted: boolean
  kept: number
}

async function* walk(dir: string): AsyncGenerator<string> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  for (const e of entries) {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) yield* walk(full)
    else if (e.isFile() && !e.name.endsWith('.tmp')) yield full
  }
}

/** The date `years` calendar years before `now` (29 February falls back to 28). */
export function yearsBefore(now: Date, years: number): Date {
  const d = new Date(now)
  d.setUTCFullYear(d.getUTCFullYear() - years)
  if (d.getUTCDate() !== now.getUTCDate()) d.setUTCDate(0)
  return d
}

export async function pruneArchive(lake: Lake, opts: { now?: Date; years?: number; delete?: boolean } = {}): Promise<PruneResult> {
  const cutoff = yearsBefore(opts.now ?? new Date(), opts.years ?? RETENTION_YEARS)
  const root = path.join(lake.dataDir, ZONES.archive)
  const expired: PruneResult['expired'] = []
  let kept = 0
  for await (const file of walk(root)) {
    const st = await stat(file)
    const archivedAt = parseStamp(path.basename(file)) ?? st.mtime
    if (archivedAt < cutoff) expired.push({ file: path.relative(root, file), archivedAt: archivedAt.toISOString(), bytes: st.size })
    else kept++
  }
  expired.sort((a, b) => a.archivedAt.localeCompare(b.archivedAt) || a.file.localeCompare(b.file))
  if (opts.delete) for (const e of expired) await rm(path.join(root, e.file), { force: true })
  return { cutoff: cutoff.toISOString(), expired, deleted: !!opts.delete, kept }
}
