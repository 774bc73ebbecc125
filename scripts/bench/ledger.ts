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
  sqliteMs: number[]
  ratio: number
  peakRssMb: number
  steps: Record<string, number>
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function generate(file: string, lines: number) {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 })
  let buf = LEDGER_HEADER_13.join('\t') + '\r'
  for (const l of ledgerLines(lines, 2025)) {
    buf += ledgerRecord(l, 13) + '\r'
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

/** Runs the ledger bench; the last run's lake is kept (returned as `keptDataDir`) for the KPI benches. */
export async function benchLedger(workDir: string, lines = 1_000_000, runs = 3): Promise<LedgerBench & { keptDataDir: string }> {
  await mkdir(workDir, { recursive: true })
  const tsv = path.join(workDir, `ledger_${lines}.tsv`)
  if (!existsSync(tsv)) await generate(tsv, lines)
  const bytes = (await stat(tsv)).size
  const oursMs: number[] = []
  const sqliteMs: number[] = []
  let peak = 0
  let steps: Record<string, number> = {}
  const tsx = path.resolve('node_modules/.bin/tsx')
  for (let i = 0; i < runs; i++) {
    const dir = path.join(workDir, `run${i}`)
    await rm(dir, { recursive: true, force: true })
    const lake = new Lake(path.join(dir, 'lake'))
    // Landing holds the bytes as received; putting them there is the extractor's job, not timed.
    await lake.landFile('distrokid', 'bank', 'dk_bank_details.tsv', tsv, new Date('2025-06-01T00:00:00Z'))
    // The same V8 flag as `npm run pipeline` (package.json): a small young generation for streaming runs.
  const child = spawnSync(tsx, ['--max-semi-space-size=4', 'scripts/bench/ledger-worker.ts'], {
      encoding: 'utf8',
      env: { ...process.env, BEDROT_DATA_DIR: path.join(dir, 'lake'), BEDROT_SESSIONS_DIR: path.join(dir, 'sessions'), LOG_LEVEL: 'warn' },
      maxBuffer: 16 << 20,
    })
    if (child.status !== 0) throw new Error(`bench worker failed: ${child.stderr}`)
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!)
    if (r.rows !== lines) throw new Error(`expected ${lines} rows in the warehouse, found ${r.rows}: ${r.message}`)
    oursMs.push(r.ms)
    peak = Math.max(peak, r.maxRssKb)
    steps = r.steps
    sqliteMs.push(sqliteImport(dir, tsv))
    if (i < runs - 1) await rm(dir, { recursive: true, force: true })
  }
  const keptDataDir = path.join(workDir, `run${runs - 1}`, 'lake')
  return { lines, bytes, oursMs, sqliteMs, ratio: median(oursMs) / median(sqliteMs), peakRssMb: peak / 1024, steps, keptDataDir }
}
