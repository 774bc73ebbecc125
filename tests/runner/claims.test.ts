/**
 * Single flight as one atomic claim (with a lease that a dead holder cannot keep), crashed runs marked,
 * migrations once under a lock with a backup first, and temp files of dead processes swept at start.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sweepDeadTemps } from '../../lib/lake/sweep.ts'
import { Claims, isClaim, newHolder } from '../../lib/warehouse/claims.ts'
import { openWarehouse, type Warehouse } from '../../lib/warehouse/db.ts'
import { openOps } from '../../lib/warehouse/ops.ts'
import { makeSystem, ROOT, tempDir } from '../helpers.ts'

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0'])
  return r.pid!
}

let dir: string
let wh: Warehouse
let file: string

beforeEach(async () => {
  dir = await tempDir('bedrot-claims-')
  file = path.join(dir, 'warehouse.sqlite')
  wh = await openWarehouse(file)
})
afterEach(async () => {
  await wh.close()
  await rm(dir, { recursive: true, force: true })
})

const claimsOf = (holder = newHolder(), leaseMs = 60_000) => new Claims(openOps(file), holder, leaseMs)

describe('run claims', () => {
  it('twenty holders claim one source at once: exactly one gets it', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claimsOf().claim('distrokid', `run-${i}`)))
    expect(results.filter(isClaim)).toHaveLength(1)
    const winner = results.find(isClaim)!
    for (const r of results.filter((r) => !isClaim(r))) expect(r.runId).toBe(winner.runId)
  })

  it("a live holder's claim holds; once its lease has run out it is taken, even though its pid is alive", async () => {
    // The pid is alive but not ours (our parent): what a pid reused by another program looks like.
    const other = `${newHolder().split(':')[0]}:${process.ppid}:someone`
    await wh.db
      .insertInto('run_claims')
      .values({ source: 'toolost', run_id: 'old-run', holder: other, lease_until: Date.now() + 60_000 })
      .execute()
    const me = claimsOf()
    const held = await me.claim('toolost', 'new-run')
    expect(isClaim(held)).toBe(false)
    expect(held).toMatchObject({ runId: 'old-run', pid: process.ppid })
    await wh.db
      .updateTable('run_claims')
      .set({ lease_until: Date.now() - 1 })
      .execute()
    const taken = await me.claim('toolost', 'new-run')
    expect(taken).toMatchObject({ runId: 'new-run', tookOverFrom: 'old-run' })
  })

  it('a claim whose holder process is gone is taken at once, lease or not', async () => {
    const gone = `${newHolder().split(':')[0]}:${deadPid()}:dead`
    await wh.db
      .insertInto('run_claims')
      .values({ source: 'spotify', run_id: 'dead-run', holder: gone, lease_until: Date.now() + 3_600_000 })
      .execute()
    expect(await claimsOf().claim('spotify', 'mine')).toMatchObject({ runId: 'mine', tookOverFrom: 'dead-run' })
  })

  it('renew keeps the lease; a claim lost to a takeover says so', async () => {
    const a = claimsOf(newHolder(), 1000)
    const c = await a.claim('distrokid', 'a-run')
    if (!isClaim(c)) throw new Error('not claimed')
    expect(await a.renew(c)).toBe(true)
    await wh.db.updateTable('run_claims').set({ lease_until: 0 }).execute()
    expect(isClaim(await claimsOf().claim('distrokid', 'b-run'))).toBe(true)
    expect(await a.renew(c)).toBe(false)
  })
})

describe('runs left running', () => {
  it('a running row without a live claim is marked crashed at start; one with a live claim is left alone', async () => {
    const sys = await makeSystem({ LOG_LEVEL: 'silent' })
    try {
      const db = sys.services.wh.db
      const row = (id: string, pid: number) => ({
        id,
        source: 'distrokid',
        trigger: 'cli',
        mode: 'automated',
        skip_extract: 0,
        status: 'running',
        started_at: new Date().toISOString(),
        pid,
      })
      await db
        .insertInto('runs')
        .values([row('dead-run', deadPid()), row('reused-pid-run', process.ppid), row('live-run', process.pid)])
        .execute()
      // live-run's holder renews its claim (it is us, under another holder id); reused-pid-run's claim ran out.
      await db
        .insertInto('run_claims')
        .values({ source: 'distrokid', run_id: 'live-run', holder: newHolder(), lease_until: Date.now() + 60_000 })
        .execute()
      expect(await sys.runner.markCrashed()).toBe(2)
      const rows = await db.selectFrom('runs').select(['id', 'status']).orderBy('id').execute()
      expect(rows).toEqual([
        { id: 'dead-run', status: 'crashed' },
        { id: 'live-run', status: 'running' },
        { id: 'reused-pid-run', status: 'crashed' },
      ])
    } finally {
      await sys.close()
    }
  })
})

describe('migrations', () => {
  it('before changing an existing warehouse, a backup named for its schema version is taken', async () => {
    const mine = '0015_create_run_claims'
    const all = (await readdir(path.join(ROOT, 'migrations')))
      .filter((f) => /^\d{4}_.+\.ts$/.test(f))
      .map((f) => f.slice(0, -3))
      .sort()
    const previous = all.filter((n) => n !== mine).at(-1)!
    await wh.db
      .deleteFrom('kysely_migration' as never)
      .where('name' as never, '=', mine as never)
      .execute()
    wh.sqlite.exec('DROP TABLE run_claims; DROP TABLE daily_runs')
    await wh.close()
    wh = await openWarehouse(file)
    const backups = (await readdir(dir)).filter((n) => n.startsWith('warehouse.schema-'))
    expect(backups).toHaveLength(1)
    expect(backups[0]).toMatch(new RegExp(`^warehouse\\.schema-${previous}\\.\\d{8}_\\d{6}\\.sqlite$`))
    const copy = new Database(path.join(dir, backups[0]), { readonly: true })
    const names = (copy.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name)
    copy.close()
    expect(names.at(-1)).toBe(previous)
    expect(names).not.toContain(mine)
    // Up to date: no further copy.
    await wh.close()
    wh = await openWarehouse(file)
    expect((await readdir(dir)).filter((n) => n.startsWith('warehouse.schema-') && n.endsWith('.sqlite'))).toHaveLength(1)
  })

  it('three processes starting on one fresh warehouse migrate it once, all succeed', async () => {
    const fresh = path.join(dir, 'fresh', 'warehouse.sqlite')
    const script = `import { openWarehouse } from ${JSON.stringify(path.join(ROOT, 'lib/warehouse/db.ts'))}; const w = await openWarehouse(${JSON.stringify(fresh)}); await w.close()`
    const codes = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<{ code: number | null; err: string }>((resolve) => {
            const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
            let err = ''
            c.stderr!.on('data', (d) => (err += d))
            c.once('exit', (code) => resolve({ code, err }))
          }),
      ),
    )
    for (const c of codes) expect(c.code, c.err).toBe(0)
    const db = new Database(fresh, { readonly: true })
    const n = db.prepare('SELECT count(*) AS n FROM kysely_migration').get() as { n: number }
    db.close()
    expect(n.n).toBe((await readdir(path.join(ROOT, 'migrations'))).filter((f) => /^\d{4}_.+\.ts$/.test(f)).length)
  }, 120_000)
})

describe('temp files', () => {
  it('temps of dead processes and day-old ones go; live ones stay', async () => {
    const lake = path.join(dir, 'lake', '4_curated', 'distrokid')
    await mkdir(lake, { recursive: true })
    const dead = path.join(lake, `.dk_bank_details.csv.${deadPid()}-0a1b2c3d.tmp`)
    const mine = path.join(lake, `.dk_bank_details.csv.${process.pid}-0a1b2c3d.tmp`)
    const oldNoPid = path.join(lake, 'x.csv.tmp')
    const newNoPid = path.join(lake, 'y.csv.tmp')
    const data = path.join(lake, 'dk_bank_details.csv')
    for (const f of [dead, mine, oldNoPid, newNoPid, data]) await writeFile(f, 'x'.repeat(100))
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000)
    await utimes(oldNoPid, twoDaysAgo, twoDaysAgo)
    expect(await sweepDeadTemps(path.join(dir, 'lake'))).toEqual({ files: 2, bytes: 200 })
    expect((await readdir(lake)).sort()).toEqual([path.basename(mine), 'dk_bank_details.csv', 'y.csv.tmp'].sort())
  })
})
