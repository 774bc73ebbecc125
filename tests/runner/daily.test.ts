/**
 * A daily run always finishes: one source throws and one is held by another holder; the others
 * complete, each outcome is recorded when it ends, and the catch-up reruns exactly the missing ones.
 */
import { rm } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../lib/config.ts'
import { openServices, type Services } from '../../lib/context.ts'
import { defineLoader, type StepDefinition } from '../../lib/define.ts'
import { Runner } from '../../lib/pipeline.ts'
import type { Registry, SourceFunctions } from '../../lib/registry.ts'
import { defineSource } from '../../lib/source.ts'
import { catchUp, dailyRun, incompleteSources } from '../../lib/schedule.ts'
import { Claims, isClaim, newHolder } from '../../lib/warehouse/claims.ts'
import { openOps } from '../../lib/warehouse/ops.ts'
import { envFor, tempDir } from '../helpers.ts'

const calls: string[] = []
let bravoThrows = true

function source(name: string, body?: () => void): [string, SourceFunctions] {
  const load = defineLoader({
    source: name,
    description: `test source ${name}`,
    async run() {
      calls.push(name)
      return { status: 'ok' }
    },
  })
  // A step that throws past defineStep's guard: what a bug in the runner's own plumbing would do.
  const raw: StepDefinition = body ? { ...load, run: async (ctx) => (body(), load.run(ctx)) } : load
  return [name, { source: name, declaration: defineSource({ name, title: name, tables: [] }), steps: { load: raw } }]
}

let dir: string
let services: Services
let runner: Runner
const DAY = '2025-06-01'

beforeEach(async () => {
  calls.length = 0
  bravoThrows = true
  dir = await tempDir('bedrot-daily-')
  services = await openServices(loadConfig(envFor(dir, { LOG_LEVEL: 'silent' })))
  const registry: Registry = {
    kpis: new Map(),
    sources: new Map([
      source('alpha'),
      source('bravo', () => {
        if (bravoThrows) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })
      }),
      source('charlie'),
      source('delta'),
    ]),
  }
  runner = new Runner(services, registry)
})

afterEach(async () => {
  await services.close()
  await rm(dir, { recursive: true, force: true })
})

describe('daily run', () => {
  it('finishes every source when one throws and one is held elsewhere; catch-up reruns exactly those two', async () => {
    // Another process (its own connection, its own holder id) holds charlie.
    const other = new Claims(openOps(services.config.warehouseFile), newHolder(), 60_000)
    const held = await other.claim('charlie', 'charlie-elsewhere')
    expect(isClaim(held)).toBe(true)

    const reports = await dailyRun(runner, DAY)
    expect(reports.map((r) => [r.source, r.outcome ?? r.status])).toEqual([
      ['alpha', 'ok'],
      ['bravo', 'failed'],
      ['charlie', 'busy'],
      ['delta', 'ok'],
    ])
    expect(calls).toEqual(['alpha', 'delta'])
    const rows = await services.wh.db.selectFrom('daily_runs').select(['source', 'status']).where('day', '=', DAY).orderBy('source').execute()
    expect(rows).toEqual([
      { source: 'alpha', status: 'ok' },
      { source: 'bravo', status: 'failed' },
      { source: 'charlie', status: 'busy' },
      { source: 'delta', status: 'ok' },
    ])
    expect(await incompleteSources(runner, DAY)).toEqual(['bravo', 'charlie'])
    // The failed run is on record with the exception's message, not lost.
    const bravoRun = await services.wh.db.selectFrom('runs').selectAll().where('source', '=', 'bravo').executeTakeFirstOrThrow()
    expect(bravoRun.status).toBe('failed')
    expect(bravoRun.message).toContain('database is locked')

    // The next start, an hour later: the two missing sources, and only they, run again.
    bravoThrows = false
    await other.release(held as never)
    calls.length = 0
    const again = await catchUp(runner, new Date(Date.now() + 3_600_000))
    expect(again.map((r) => [r.source, r.status])).toEqual([
      ['bravo', 'ok'],
      ['charlie', 'ok'],
    ])
    expect(calls).toEqual(['bravo', 'charlie'])
    expect(await incompleteSources(runner, DAY)).toEqual([])
    // Nothing left: a further start runs nothing.
    calls.length = 0
    expect(await catchUp(runner, new Date(Date.now() + 7_200_000))).toEqual([])
    expect(calls).toEqual([])
  })

  it('a daily run killed half-way leaves its unfinished sources pending; the catch-up runs just those', async () => {
    bravoThrows = false
    const now = new Date().toISOString()
    // What a process killed after alpha leaves behind.
    await services.wh.db
      .insertInto('source_state')
      .values([
        { source: '_scheduler', key: 'last_daily_run', value: now, updated_at: now },
        { source: '_scheduler', key: 'last_daily_day', value: DAY, updated_at: now },
      ])
      .execute()
    await services.wh.db
      .insertInto('daily_runs')
      .values(
        ['alpha', 'bravo', 'charlie', 'delta'].map((s) => ({
          day: DAY,
          source: s,
          status: s === 'alpha' ? 'ok' : 'pending',
          run_id: null,
          message: null,
          updated_at: now,
        })),
      )
      .execute()
    const reports = await catchUp(runner)
    expect(reports.map((r) => r.source)).toEqual(['bravo', 'charlie', 'delta'])
    expect(calls).toEqual(['bravo', 'charlie', 'delta'])
  })

  it('with no daily run for over a day, the catch-up runs every source once for today', async () => {
    bravoThrows = false
    const reports = await catchUp(runner)
    expect(reports.map((r) => r.source)).toEqual(['alpha', 'bravo', 'charlie', 'delta'])
    expect(await catchUp(runner)).toEqual([])
  })
})
