/**
 * Rebuild from landing on the real fixtures (DistroKid stats pages and ledger, TooLost JSON): landing
 * untouched, rows a source no longer has in landing gone, other sources' rows kept, and a rebuild of all
 * twice gives byte-identical curated files and warehouse (fact tables; `run_id` lineage aside, see
 * lake-fixture.ts). A run that finds an unfinished clean or rebuild heals by rebuilding.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../lib/importer.ts'
import { CLEAN_PENDING } from '../../lib/rebuild.ts'
import { setState } from '../../lib/warehouse/state.ts'
import { lastJson, makeSystem, REAL, runCli } from '../helpers.ts'
import { warehouseChecksums, zoneChecksums } from './lake-fixture.ts'

let sys: Awaited<ReturnType<typeof makeSystem>>
const dk = path.join(REAL, 'distrokid')

async function state() {
  const { dataDir, warehouseFile } = sys.config
  return {
    landing: await zoneChecksums(dataDir, '1_landing'),
    curated: await zoneChecksums(dataDir, '4_curated'),
    warehouse: warehouseChecksums(warehouseFile),
  }
}

beforeAll(async () => {
  sys = await makeSystem({ LOG_LEVEL: 'silent' })
  // applemusic_stats.html is a saved sign-in page, rightly refused: left out so every run here is ok.
  const pages = (await readdir(dk)).filter((n) => n.endsWith('.html') && n !== 'applemusic_stats.html').map((n) => ({ name: n, path: path.join(dk, n) }))
  const ledger = { name: 'dk_bank_details_20250331_000000.tsv', path: path.join(dk, 'derived', 'dk_bank_details_asof_20250331_DERIVED.tsv') }
  await importFiles(sys.services, sys.runner.registry, 'distrokid', [...pages, ledger], { extractedAt: new Date('2025-05-20T00:00:00Z') })
  const tl = ['toolost_spotify_20250522_124556.json', 'toolost_apple_20250522_124556.json'].map((n) => ({ name: n, path: path.join(REAL, 'toolost', n) }))
  await importFiles(sys.services, sys.runner.registry, 'toolost', tl)
  for (const source of ['distrokid', 'toolost']) {
    const r = await sys.runner.run({ source, skipExtract: true, trigger: 'cli' })
    expect(r.status, r.message).toBe('ok')
  }
}, 120_000)

afterAll(async () => {
  await sys?.close()
})

describe('rebuild from landing', () => {
  it('rebuild of all, twice: landing untouched, curated and warehouse byte-identical, equal to the normal run', async () => {
    const before = await state()
    expect(before.warehouse.revenue_lines.rows).toBeGreaterThan(0)
    expect(before.warehouse.streams_daily.rows).toBeGreaterThan(0)
    const first = await sys.runner.runAll({ trigger: 'rebuild', rebuild: true, skipExtract: true })
    expect(first.map((r) => [r.source, r.rebuilt])).toEqual([...sys.runner.registry.sources.keys()].map((s) => [s, true]))
    for (const r of first.filter((r) => r.source === 'distrokid' || r.source === 'toolost')) expect(r.status, r.message).toBe('ok')
    const once = await state()
    const second = await sys.runner.runAll({ trigger: 'rebuild', rebuild: true, skipExtract: true })
    expect(second.every((r) => r.rebuilt)).toBe(true)
    const twice = await state()
    expect(once.landing).toEqual(before.landing)
    expect(twice.landing).toEqual(before.landing)
    expect(twice.curated).toEqual(once.curated)
    expect(twice.warehouse).toEqual(once.warehouse)
    expect(once.curated).toEqual(before.curated)
    expect(once.warehouse).toEqual(before.warehouse)
    // Identical curated files are not archived again.
    const archive = await zoneChecksums(sys.config.dataDir, '5_archive')
    expect(Object.keys(archive).filter((f) => f.includes('_rebuild_'))).toEqual([])
  })

  it("replaces only the rebuilt source's rows: a row no landing file carries goes, another source's rows stay", async () => {
    const db = sys.services.wh.db
    const forged = await db.selectFrom('revenue_lines').selectAll().where('distributor', '=', 'distrokid').limit(1).executeTakeFirstOrThrow()
    await db
      .insertInto('revenue_lines')
      .values({ ...forged, line_id: 'forged-line', earnings_e8: 9_999_900_000_000 })
      .execute()
    const toolostBefore = await db.selectFrom('streams_daily').selectAll().where('distributor', '=', 'toolost').orderBy('date').orderBy('platform').execute()
    const res = await sys.app.request('/rebuild/distrokid', { method: 'POST' })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect([body.status, body.rebuilt]).toEqual(['ok', true])
    expect(await db.selectFrom('revenue_lines').select('line_id').where('line_id', '=', 'forged-line').execute()).toEqual([])
    expect(await db.selectFrom('streams_daily').selectAll().where('distributor', '=', 'toolost').orderBy('date').orderBy('platform').execute()).toEqual(
      toolostBefore,
    )
    expect((await sys.app.request('/rebuild/nosuch', { method: 'POST' })).status).toBe(404)
  })

  it('a run that finds a clean that never finished rebuilds from landing, and says so', async () => {
    const before = await state()
    await setState(sys.services.wh.db, 'toolost', CLEAN_PENDING, 'toolost-killed-run')
    const r = await sys.runner.run({ source: 'toolost', skipExtract: true, trigger: 'cli' })
    expect(r.rebuilt).toBe(true)
    expect(r.status).toBe('ok')
    expect(r.message).toContain('rebuilt from landing')
    expect(await state()).toEqual(before)
    // Healed: the next run is a plain one again.
    expect((await sys.runner.run({ source: 'toolost', skipExtract: true, trigger: 'cli' })).rebuilt).toBeUndefined()
  })

  it('npm run rebuild -- distrokid through the CLI; an unknown source is a usage error', async () => {
    const before = await state()
    const r = await runCli('rebuild', ['distrokid'], sys.env)
    expect(r.code, r.stderr).toBe(0)
    expect(lastJson(r.stdout)).toMatchObject({ source: 'distrokid', status: 'ok', rebuilt: true })
    expect(await state()).toEqual(before)
    const bad = await runCli('rebuild', ['nosuch'], sys.env)
    expect(bad.code).toBe(2)
  }, 300_000)
})
