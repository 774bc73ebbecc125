/**
 * Ledger bench: the same generated 1,000,000-line DistroKid ledger TSV (bare-CR records, 13 columns)
 * through our landing → warehouse path and through the SQLite CLI's `.import`, their ratio, and our
 * peak RSS. Each side runs 3 times in a fresh folder; medians are reported.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { createWriteStream, existsSync } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { Lake } from '../../lib/lake/lake.ts'
import { LEDGER_HEADER_13, ledgerLines, ledgerRecord } from '../../functions/distrokid/fake-data.ts'

export interface LedgerBench {
  lines: number
  bytes: number
  oursMs: number[]
  /** CPU time of our side (user + system, all threads): steadier than wall time on a shared machine. */
  oursCpuMs: number[]
  sqliteMs: number[]
  ratio: number
  peakRssMb: number
  steps: Record<string, number>
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** The bench ledger; with `changeEvery`, every n-th line's earnings restated (a later export of the same lines). */
async function generate(file: string, lines: number, changeEvery = 0) {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 })
  let buf = LEDGER_HEADER_13.join('\t') + '\r'
  let i = 0
  for (const l of ledgerLines(lines, 2025)) {
    const restated = changeEvery && i++ % changeEvery === 0 ? { ...l, earningsE8: l.earningsE8 + 1234 } : l
    buf += ledgerRecord(restated, 13) + '\r'
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()))
      buf = ''
    }
  }
  await new Promise<void>((r) => out.end(buf, () => r()))
}

function sqliteImport(dir: string, tsv: string): number {
  const db = path.join(dir, 'cli.sqlite')
  const cols = LEDGER_HEADER_13.map((c, i) => `"${c}" ${i === 7 ? 'INTEGER' : i === 12 ? 'REAL' : 'TEXT'} NOT NULL`).join(', ')
  const script = `PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\nCREATE TABLE ledger (${cols});\n.mode ascii\n.separator "\\t" "\\r"\n.import --skip 1 '${tsv}' ledger\nSELECT count(*) FROM ledger;\n`
  const t0 = performance.now()
  const out = execFileSync('sqlite3', [db], { input: script, encoding: 'utf8' })
  const ms = performance.now() - t0
  const count = Number(out.trim().split('\n').pop())
  if (count < 1) throw new Error(`sqlite3 .import loaded ${count} rows`)
  return ms
}

/** DistroKid clean → load on what landing holds, in its own process (so its peak RSS is its own). */
function runWorker(dir: string): { ms: number; cpuMs: number; maxRssKb: number; rows: number; message?: string; steps: Record<string, number> } {
  // The same V8 flag as `npm run pipeline` (package.json): a small young generation for streaming runs.
  const child = spawnSync(path.resolve('node_modules/.bin/tsx'), ['--max-semi-space-size=4', 'scripts/bench/ledger-worker.ts'], {
    encoding: 'utf8',
    env: { ...process.env, BEDROT_DATA_DIR: path.join(dir, 'lake'), BEDROT_SESSIONS_DIR: path.join(dir, 'sessions'), LOG_LEVEL: 'warn' },
    maxBuffer: 16 << 20,
  })
  if (child.status !== 0) throw new Error(`bench worker failed: ${child.stderr}`)
  return JSON.parse(child.stdout.trim().split('\n').pop()!)
}

/**
 * P3: a later full export of the same ledger with a fraction of its lines restated lands beside the
 * first one in the kept lake; its clean → load is timed (the figure to hold against a full load).
 */
export async function benchLedgerChange(workDir: string, first: LedgerBench & { keptDataDir: string }, fraction: number) {
  const tsv = path.join(workDir, `ledger_${first.lines}_changed.tsv`)
  if (!existsSync(tsv)) await generate(tsv, first.lines, Math.round(1 / fraction))
  const lake = new Lake(first.keptDataDir)
  await lake.landFile('distrokid', 'bank', 'dk_bank_details.tsv', tsv, new Date('2026-01-16T00:00:00Z'))
  const r = runWorker(path.dirname(first.keptDataDir))
  if (r.rows !== first.lines) throw new Error(`after the restated export the warehouse holds ${r.rows} lines, not ${first.lines}: ${r.message}`)
  return { ms: r.ms, cpuMs: r.cpuMs, maxRssKb: r.maxRssKb, steps: r.steps }
}

/** Runs the ledger bench; the last run's lake is kept (returned as `keptDataDir`) for the KPI benches. */
export async function benchLedger(workDir: string, lines = 1_000_000, runs = 3, opts: { keep?: boolean } = {}): Promise<LedgerBench & { keptDataDir: string }> {
  await mkdir(workDir, { recursive: true })
  const tsv = path.join(workDir, `ledger_${lines}.tsv`)
  if (!existsSync(tsv)) await generate(tsv, lines)
  const bytes = (await stat(tsv)).size
  const oursMs: number[] = []
  const oursCpuMs: number[] = []
  const sqliteMs: number[] = []
  let peak = 0
  let steps: Record<string, number> = {}
  for (let i = 0; i < runs; i++) {
    const dir = path.join(workDir, `run${i}`)
    await rm(dir, { recursive: true, force: true })
    const lake = new Lake(path.join(dir, 'lake'))
    // Landing holds the bytes as received; putting them there is the extractor's job, not timed.
    // After the generated ledger's last reporting date (2025-12): lines reported after their export's
    // extraction are quarantined as impossible.
    await lake.landFile('distrokid', 'bank', 'dk_bank_details.tsv', tsv, new Date('2026-01-15T00:00:00Z'))
    const r = runWorker(dir)
    if (r.rows !== lines) throw new Error(`expected ${lines} rows in the warehouse, found ${r.rows}: ${r.message}`)
    oursMs.push(r.ms)
    oursCpuMs.push(r.cpuMs)
    peak = Math.max(peak, r.maxRssKb)
    steps = r.steps
    sqliteMs.push(sqliteImport(dir, tsv))
    if (i < runs - 1 || opts.keep === false) await rm(dir, { recursive: true, force: true })
  }
  if (opts.keep === false) await rm(tsv, { force: true })
  const keptDataDir = path.join(workDir, `run${runs - 1}`, 'lake')
  return { lines, bytes, oursMs, oursCpuMs, sqliteMs, ratio: median(oursMs) / median(sqliteMs), peakRssMb: peak / 1024, steps, keptDataDir }
}
