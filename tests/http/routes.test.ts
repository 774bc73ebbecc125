/** The HTTP adapter: routes, errors as JSON, single flight, imports, KPI caching, history, cron, crashes. */
import { hostname } from 'node:os'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeDistroKid, serveFake } from '../../functions/distrokid/fake.ts'
import { dailySeries, ledgerLines, ledgerTsv, sumE8 } from '../../functions/distrokid/fake-data.ts'
import { stamp } from '../../lib/lake/zones.ts'
import { makeSystem } from '../helpers.ts'
import { storeDistroKidSession } from '../distrokid/session.ts'
import { scheduleDaily } from '../../lib/schedule.ts'

type System = Awaited<ReturnType<typeof makeSystem>>
const lines = [...ledgerLines(40, 11)]

describe('HTTP routes', () => {
  let sys: System
  let server: { url: string; close(): Promise<void> }
  let sessionValue: string
  let release: () => void = () => {}

  beforeAll(async () => {
    const fake = createFakeDistroKid({ spotifyDaily: dailySeries('2025-03-01', '2025-03-31', 3), appleDaily: [], ledgerTsv: ledgerTsv(lines) })
    // A gate in front of the fake holds a run open, so a second request finds it going.
    let gate: Promise<void> = Promise.resolve()
    const slow = new Hono()
    slow.use('*', async (_c, next) => {
      await gate
      await next()
    })
    slow.route('/', fake.app)
    server = await serveFake(slow)
    sys = await makeSystem({ DISTROKID_BASE_URL: server.url })
    sessionValue = fake.issueSession()
    await storeDistroKidSession(sys.config.sessionsDir, server.url, sessionValue)
    ;(globalThis as any).__hold = () => {
      gate = new Promise<void>((r) => (release = r))
    }
  })
  afterAll(async () => {
    await sys.close()
    await server.close()
  })

  it('unknown routes, sources, steps and KPIs are 404 JSON', async () => {
    for (const [method, path, code] of [
      ['GET', '/nope', 'NotFound'],
      ['POST', '/run/spotifx', 'NotFound'],
      ['POST', '/functions/distrokid/transform', 'NotFound'],
      ['GET', '/kpi/no-such-kpi', 'NotFound'],
    ] as const) {
      const res = await sys.app.request(path, { method })
      expect(res.status, path).toBe(404)
      expect((await res.json()).error.code).toBe(code)
    }
  })

  it('a bad query is a 400 naming the field', async () => {
    for (const [path, field] of [
      ['/run/distrokid?mode=sometimes', 'mode'],
      ['/run/distrokid?from=2025-13-40', 'from'],
      ['/run?skipExtract=maybe', 'skipExtract'],
    ] as const) {
      const res = await sys.app.request(path, { method: 'POST' })
      expect(res.status, path).toBe(400)
      const body = await res.json()
      expect(body.error.details.field).toBe(field)
      expect(body.error.message).toContain(`'${field}'`)
    }
    const kpi = await sys.app.request('/kpi/streams-total?days=0')
    expect(kpi.status).toBe(400)
    expect((await kpi.json()).error.details.field).toBe('days')
  })

  it('a second run of a source while one is going is a 409; both finish cleanly', async () => {
    ;(globalThis as any).__hold()
    const first = sys.app.request('/run/distrokid', { method: 'POST' })
    await new Promise((r) => setTimeout(r, 100))
    const second = await sys.app.request('/run/distrokid', { method: 'POST' })
    expect(second.status).toBe(409)
    expect((await second.json()).error.code).toBe('RunInProgress')
    release()
    const done = await first
    expect(done.status).toBe(200)
    const report = await done.json()
    expect(report.status, JSON.stringify(report)).toBe('ok')
  })

  it('KPIs answer with an ETag, 304 on If-None-Match, and a new ETag after a load', async () => {
    const res = await sys.app.request('/kpi/revenue-total?days=all')
    expect(res.status).toBe(200)
    const tag = res.headers.get('etag')!
    expect((await res.json()).exact).toBe(sumE8(lines))
    const again = await sys.app.request('/kpi/revenue-total?days=all', { headers: { 'If-None-Match': tag } })
    expect(again.status).toBe(304)
    const more = [...lines, ...ledgerLines(5, 99)]
    const form = new FormData()
    // A newer export (a minute ahead, inside the clock allowance) than the one the run downloaded:
    // exports are snapshots, so only the newest one is authoritative for the dates it covers.
    form.append('file', new File([ledgerTsv(more, 15)], `dk_bank_details_${stamp(new Date(Date.now() + 60_000))}.tsv`))
    const imported = await sys.app.request('/import/distrokid', { method: 'POST', body: form })
    expect(imported.status).toBe(200)
    const body = await imported.json()
    expect(body.landed[0].dataset).toBe('bank')
    expect(body.run.status).toBe('ok')
    const after = await sys.app.request('/kpi/revenue-total?days=all', { headers: { 'If-None-Match': tag } })
    expect(after.status).toBe(200)
    expect((await after.json()).lines).toBe(45)
  })

  it('one step alone, run history with steps, health and session status without secrets', async () => {
    const step = await sys.app.request('/functions/distrokid/clean', { method: 'POST' })
    expect((await step.json()).steps.clean.status).toBe('skipped')
    const runs = (await (await sys.app.request('/runs?source=distrokid&limit=2')).json()).runs
    expect(runs[0].steps.map((s: any) => s.step)).toEqual(['clean'])
    expect(runs).toHaveLength(2)
    const health = await (await sys.app.request('/health')).json()
    expect(health.sources.find((s: any) => s.source === 'distrokid').lastRun.status).toBe('skipped')
    const auth = await sys.app.request('/auth/status')
    const text = await auth.text()
    expect(JSON.parse(text).sessions.find((s: any) => s.source === 'distrokid').status).toBe('valid')
    expect(text).not.toContain(sessionValue)
  })

  it('a session entering its refresh window shows in /health and in the alerts KPI at once', async () => {
    const before = await (await sys.app.request('/kpi/alerts')).json()
    expect(before.breakdown.filter((a: any) => a.key.startsWith('session:distrokid'))).toEqual([])
    // Captured 25 days ago: 5 days left of the 30-day maximum, inside the 10-day refresh window.
    await storeDistroKidSession(sys.config.sessionsDir, server.url, sessionValue, new Date(Date.now() - 25 * 86_400_000))
    const after = await (await sys.app.request('/kpi/alerts')).json()
    const alert = after.breakdown.find((a: any) => a.key === 'session:distrokid:default')
    expect(alert.message).toBe('distrokid session expires in 4 days: run `npm run auth -- distrokid`')
    const health = await (await sys.app.request('/health')).json()
    expect(health.warnings).toContain('distrokid session expiring in 4 days: run `npm run auth -- distrokid`')
    await storeDistroKidSession(sys.config.sessionsDir, server.url, sessionValue)
  })

  it('the cron trigger runs every source through the same runner', async () => {
    const task = scheduleDaily(sys.runner)
    try {
      await task.execute()
    } finally {
      await task.destroy()
    }
    const last = await sys.services.wh.db.selectFrom('runs').selectAll().where('trigger', '=', 'cron').execute()
    expect(last.map((r) => r.source)).toContain('distrokid')
  })

  it('a run going in another live process is refused too', async () => {
    // Our parent (the vitest main process) stands in for a server process running the source.
    const base = {
      source: 'distrokid',
      trigger: 'http',
      mode: 'automated',
      skip_extract: 0,
      window_from: null,
      window_to: null,
      started_at: '2025-01-01T00:00:00Z',
    }
    await sys.services.wh.db
      .insertInto('runs')
      .values({ ...base, id: 'elsewhere-1', status: 'running', pid: process.ppid })
      .execute()
    // Its claim on the source, with a live lease (lib/warehouse/claims.ts).
    const holder = `${hostname()}:${process.ppid}:elsewhere`
    await sys.services.wh.db
      .insertInto('run_claims')
      .values({ source: 'distrokid', run_id: 'elsewhere-1', holder, lease_until: Date.now() + 60_000 })
      .execute()
    const res = await sys.app.request('/run/distrokid', { method: 'POST' })
    expect(res.status).toBe(409)
    expect((await res.json()).error.message).toBe(`a run of 'distrokid' is already going in process ${process.ppid} (elsewhere-1)`)
    await sys.services.wh.db.deleteFrom('run_claims').where('run_id', '=', 'elsewhere-1').execute()
    await sys.services.wh.db.deleteFrom('runs').where('id', '=', 'elsewhere-1').execute()
  })

  it('a run left running by a crash is marked crashed at start-up; one a live process is running is not', async () => {
    const base = {
      source: 'distrokid',
      trigger: 'cli',
      mode: 'automated',
      skip_extract: 0,
      window_from: null,
      window_to: null,
      status: 'running',
      started_at: '2025-01-01T00:00:00Z',
    }
    // A pid far above Linux's pid_max belongs to no process.
    await sys.services.wh.db
      .insertInto('runs')
      .values([
        { ...base, id: 'crashed-1', pid: 2 ** 30 },
        { ...base, id: 'alive-1', pid: process.pid },
      ])
      .execute()
    // A live run holds a claim on its source; a crashed one's claim is gone or its holder dead.
    await sys.services.wh.db
      .insertInto('run_claims')
      .values({ source: 'toolost', run_id: 'alive-1', holder: `${hostname()}:${process.pid}:alive`, lease_until: Date.now() + 60_000 })
      .execute()
    expect(await sys.runner.markCrashed()).toBe(1)
    const rows = await sys.services.wh.db.selectFrom('runs').select(['id', 'status']).where('id', 'in', ['crashed-1', 'alive-1']).orderBy('id').execute()
    expect(rows).toEqual([
      { id: 'alive-1', status: 'running' },
      { id: 'crashed-1', status: 'crashed' },
    ])
    await sys.services.wh.db.deleteFrom('run_claims').where('run_id', '=', 'alive-1').execute()
    await sys.services.wh.db.deleteFrom('runs').where('id', '=', 'alive-1').execute()
  })
})
