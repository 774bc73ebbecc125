/** Test plumbing for the runner suites: a generated DistroKid ledger in landing, and checksums of curated and the warehouse. */
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { Lake } from '../../lib/lake/lake.ts'
import { LEDGER_HEADER_13, ledgerLines, ledgerRecord } from '../../functions/distrokid/fake-data.ts'

/** Writes an N-line 13-column ledger (bare-CR records, like DistroKid's) into landing, stamped after its last reporting date (Feb 2026). */
export async function landLedger(dataDir: string, lines: number, seed = 2025, at = new Date('2026-03-15T00:00:00Z')): Promise<string> {
  await mkdir(dataDir, { recursive: true })
  const tsv = path.join(dataDir, `.gen-ledger-${seed}-${lines}.tsv.src`)
  const out = createWriteStream(tsv, { highWaterMark: 1 << 20 })
  let buf = LEDGER_HEADER_13.join('\t') + '\r'
  for (const l of ledgerLines(lines, seed)) {
    buf += ledgerRecord(l, 13) + '\r'
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()))
      buf = ''
    }
  }
  await new Promise<void>((r) => out.end(buf, () => r()))
  const landed = await new Lake(dataDir).landFile('distrokid', 'bank', `dk_bank_details_${seed}.tsv`, tsv, at)
  await rm(tsv)
  return landed
}

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex')

async function walk(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...(await walk(p)))
    else out.push(p)
  }
  return out
}

/** sha256 of every file in a zone (lock and temp files included: none may be left behind). */
export async function zoneChecksums(dataDir: string, zone: string): Promise<Record<string, string>> {
  const base = path.join(dataDir, zone)
  const sums: Record<string, string> = {}
  for (const f of (await walk(base)).sort()) {
    // A curated file's input manifest is bookkeeping (it records its inputs' sizes and times to avoid
    // re-hashing them): it must exist, but its bytes follow the files' times, not the data.
    sums[path.relative(base, f)] = /(^|\/)_[^/]*\.inputs\.json$/.test(path.relative(base, f)) ? 'manifest' : sha(await readFile(f))
  }
  return sums
}

/** Fact tables a warehouse checksum covers; ops tables (runs, steps, state) carry times and run ids by design. */
export const FACT_TABLES = ['revenue_lines', 'streams_daily', 'spotify_audience_daily', 'spotify_track_daily']

/**
 * A checksum per fact table over every row in key order. `run_id` is left out: it is lineage that names
 * the run which last wrote the row, so a rebuild (a new run) rightly changes it. Every other column counts.
 */
export function warehouseChecksums(file: string): Record<string, { rows: number; sha: string }> {
  const db = new Database(file, { readonly: true })
  try {
    const out: Record<string, { rows: number; sha: string }> = {}
    for (const t of FACT_TABLES) {
      const cols = (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'run_id')
      const rows = db
        .prepare(`SELECT ${cols.join(', ')} FROM ${t} ORDER BY ${cols.join(', ')}`)
        .raw()
        .all()
      out[t] = { rows: rows.length, sha: sha(JSON.stringify(rows)) }
    }
    return out
  } finally {
    db.close()
  }
}
