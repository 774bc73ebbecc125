/**
 * Crash safety: a child process loading a large generated DistroKid ledger (through the real CLI) is
 * SIGKILLed at ten random points of its run — six during a first load into a fresh lake, four during a rebuild of
 * a loaded one. Each time, a plain rerun (in this process) must converge to the reference: the same curated bytes, the
 * same warehouse rows, no duplicate line, no run left `running`, no temp file left behind.
 */
import { spawn } from 'node:child_process'
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRunner } from '../../lib/cli.ts'
import { loadConfig } from '../../lib/config.ts'
import { envFor, ROOT, tempDir } from '../helpers.ts'
import { landLedger, warehouseChecksums, zoneChecksums } from '../runner/lake-fixture.ts'

const LINES = 60_000
const KILLS = 10

let base: string
let landed: string
let reference: { curated: Record<string, string>; warehouse: ReturnType<typeof warehouseChecksums> }
let refMs = 0
let refRebuildMs = 0

/** The rerun, in this process (what `npm run pipeline` does after opening: crashed runs marked, temps swept). */
async function rerun(env: Record<string, string>, rebuild = false) {
  const runner = await openRunner({ env })
  try {
    return await runner.run({ source: 'distrokid', skipExtract: true, trigger: 'cli', rebuild })
  } finally {
    await runner.services.close()
  }
}

/** Resolves once the child holds its claim on distrokid (its run has begun), or has exited. */
async function claimed(dataDir: string, exited: () => boolean): Promise<void> {
  const file = path.join(dataDir, 'warehouse.sqlite')
  while (!exited()) {
    try {
      const db = new Database(file, { readonly: true, fileMustExist: true })
      try {
        if (db.prepare(`SELECT 1 FROM run_claims WHERE source = 'distrokid'`).get()) return
      } finally {
        db.close()
      }
    } catch {
      /* not created or not migrated yet */
    }
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** `node --import tsx`: one process, so SIGKILL hits the run itself, not a wrapper. */
function cli(script: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--max-semi-space-size=4', '--import', 'tsx', path.join(ROOT, 'scripts', `${script}.ts`), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const exit = new Promise<{ code: number | null; signal: string | null; stderr: string }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal, stderr })),
  )
  return { child, exit }
}

async function freshLake(name: string) {
  const dir = path.join(base, name)
  const env = envFor(dir, { LOG_LEVEL: 'warn' })
  const dataDir = loadConfig(env).dataDir
  const to = path.join(dataDir, '1_landing', 'distrokid', 'bank', path.basename(landed))
  await mkdir(path.dirname(to), { recursive: true })
  await copyFile(landed, to)
  return { env, dataDir }
}

async function temps(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith('.tmp')) out.push(e.name)
  return out
}

async function converged(dataDir: string) {
  const wh = path.join(dataDir, 'warehouse.sqlite')
  const db = new Database(wh, { readonly: true })
  const running = db.prepare(`SELECT count(*) AS n FROM runs WHERE status = 'running'`).get() as { n: number }
  const distinct = db.prepare(`SELECT count(*) AS n, count(DISTINCT line_id) AS d FROM revenue_lines`).get() as { n: number; d: number }
  db.close()
  return {
    running: running.n,
    lines: distinct.n,
    distinctLines: distinct.d,
    curated: await zoneChecksums(dataDir, '4_curated'),
    warehouse: warehouseChecksums(wh),
    temps: await temps(dataDir),
  }
}

beforeAll(async () => {
  base = await tempDir('bedrot-crash-')
  const gen = path.join(base, 'gen')
  landed = await landLedger(gen, LINES)
  const ref = await freshLake('reference')
  const t0 = performance.now()
  const r = await rerun(ref.env)
  refMs = performance.now() - t0
  expect(r.status, r.message).toBe('ok')
  const c = await converged(ref.dataDir)
  expect(c.lines).toBe(LINES)
  reference = { curated: c.curated, warehouse: c.warehouse }
  // A rebuild of a loaded lake gives the same, and tells how long a rebuild runs (to place kills inside it).
  const t1 = performance.now()
  const rb = await rerun(ref.env, true)
  refRebuildMs = performance.now() - t1
  expect([rb.status, rb.rebuilt]).toEqual(['ok', true])
  const after = await converged(ref.dataDir)
  expect({ curated: after.curated, warehouse: after.warehouse }).toEqual(reference)
}, 300_000)

afterAll(async () => {
  await rm(base, { recursive: true, force: true })
})

describe('crash safety', () => {
  it(`SIGKILL at ${KILLS} random points of a ${LINES.toLocaleString('en-US')}-line load; every rerun converges`, async () => {
    const points: { i: number; script: string; afterMs: number; killed: boolean }[] = []
    let loaded: { env: Record<string, string>; dataDir: string } | null = null
    for (let i = 0; i < KILLS; i++) {
      // First loads into fresh lakes, then rebuilds of a loaded one (kept from the previous rerun).
      const rebuild: boolean = i >= 6 && loaded !== null
      const lake: { env: Record<string, string>; dataDir: string } = rebuild && loaded ? loaded : await freshLake(`kill${i}`)
      const script = rebuild ? 'rebuild' : 'pipeline'
      // Somewhere in the run (its start-up excluded; the reference in this process ran a little longer).
      const afterMs = Math.round(Math.random() * 0.9 * (rebuild ? refRebuildMs : refMs))
      const claimedAt = { t: 0 }
      const { child, exit } = cli(script, rebuild ? ['distrokid'] : ['distrokid', '--skip-extract'], lake.env)
      let exited = false
      void exit.then(() => (exited = true))
      // Random points inside the run itself (a kill during start-up would prove little).
      await claimed(lake.dataDir, () => exited)
      claimedAt.t = performance.now()
      const timer = setTimeout(() => child.kill('SIGKILL'), afterMs)
      const ended = await exit
      clearTimeout(timer)
      // The machine's load changes: a run that finished before its kill point recalibrates the next ones.
      if (ended.signal !== 'SIGKILL') {
        const took = performance.now() - claimedAt.t
        if (rebuild) refRebuildMs = took
        else refMs = took
      }
      points.push({ i, script, afterMs, killed: ended.signal === 'SIGKILL' })
      console.error(`crash ${i}: ${script} ${ended.signal === 'SIGKILL' ? `killed ${afterMs} ms into its run` : `ended on its own (${ended.code})`}`)

      const r = await rerun(lake.env)
      expect(['ok', 'skipped'], `rerun after kill ${i} (${script} at ${afterMs} ms): ${r.message}`).toContain(r.status)
      const c = await converged(lake.dataDir)
      expect(c.running, `kill ${i}: runs left running`).toBe(0)
      expect(c.lines, `kill ${i}: ledger lines`).toBe(LINES)
      expect(c.distinctLines).toBe(LINES)
      expect(c.warehouse, `kill ${i}: warehouse`).toEqual(reference.warehouse)
      expect(c.curated, `kill ${i}: curated`).toEqual(reference.curated)
      expect(c.temps, `kill ${i}: temp files`).toEqual([])
      loaded = lake
    }
    console.log(`crash points (reference load ${Math.round(refMs)} ms, rebuild ${Math.round(refRebuildMs)} ms): ${JSON.stringify(points)}`)
    // Most points must have hit a live run, or the test proved little.
    expect(points.filter((p) => p.killed).length).toBeGreaterThanOrEqual(KILLS / 2)
  }, 900_000)
})
