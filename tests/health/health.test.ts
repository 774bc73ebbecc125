/**
 * Health you can alert on: every source ok gives `ok` and exit 0; a session inside its refresh window,
 * a landing file never promoted and a refused file are warnings (still exit 0); a failed run or stale
 * data is an error with the hint that fixes it, and `npm run health` exits 1.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { health } from '../../lib/health.ts'
import { stamp } from '../../lib/lake/zones.ts'
import { dataDay } from './rows.ts'
import { makeSystem, runCli } from '../helpers.ts'

const DAY = 86_400_000
const today = new Date().toISOString().slice(0, 10)
const daysAgo = (n: number) => new Date(Date.now() - n * DAY)
let sys: Awaited<ReturnType<typeof makeSystem>>

const cookie = (name: string) => ({
  name,
  value: 'fake-cookie-value-123',
  domain: '127.0.0.1',
  path: '/',
  expires: (Date.now() + 60 * DAY) / 1000,
  httpOnly: true,
  secure: false,
  sameSite: 'Lax' as const,
})
const session = (source: string, account: string, name: string, capturedAt = new Date()) =>
  sys.services.credentials.save(source, account, { storageState: { cookies: [cookie(name)], origins: [] } }, capturedAt)

async function okRun(source: string) {
  const at = new Date().toISOString()
  await sys.services.wh.db
    .insertInto('runs')
    .values({
      id: `${source}-ok-${at}`,
      source,
      trigger: 'cron',
      mode: 'automated',
      skip_extract: 0,
      window_from: null,
      window_to: null,
      status: 'ok',
      severity: null,
      message: 'ok',
      started_at: at,
      finished_at: at,
      pid: null,
    })
    .execute()
  if (['distrokid', 'spotify', 'toolost'].includes(source)) await dataDay(sys.services.wh.db, source, today)
}

beforeAll(async () => {
  sys = await makeSystem()
})
afterAll(() => sys.close())

describe('health', () => {
  it('a fresh install needs a person: error, with each missing login and its command', async () => {
    const h = await health(sys.runner, { today })
    expect(h.status).toBe('error')
    const toolost = h.sources.find((s) => s.source === 'toolost')!
    expect(toolost.issues.map((i) => i.text)).toEqual(['toolost no session stored: run `npm run auth -- toolost`', 'toolost: has never run'])
  })

  it('every source logged in, run and fresh: ok, and npm run health exits 0', async () => {
    // Every declared source: a login for each account, and a run that went well.
    for (const src of sys.services.sources.values()) {
      if (src.session) for (const a of src.accounts) await session(src.name, a.name, src.session.criticalCookies?.[0] ?? 'session')
      await okRun(src.name)
    }
    const h = await health(sys.runner, { today })
    expect(h.issues).toEqual([])
    expect(h.status).toBe('ok')
    const s = h.sources.find((x) => x.source === 'spotify')!
    expect(s).toMatchObject({ status: 'ok', freshness: 'fresh', newestDate: today, ageDays: 0, lastError: null, stuck: { landing: [], refused: [] } })
    expect(s.lastSuccess).not.toBeNull()
    const r = await runCli('health', [], sys.env)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('overall: ok')
  })

  it('an expiring session, a landing file never promoted and a refused file are warnings: warn, still exit 0', async () => {
    await session('toolost', 'default', 'toolost_session', daysAgo(27))
    const landing = path.join(sys.config.dataDir, '1_landing/distrokid/streams')
    await mkdir(landing, { recursive: true })
    const stuckName = `${stamp(daysAgo(3))}_dk_stats.html`
    await writeFile(path.join(landing, stuckName), '<html>never promoted</html>')
    const raw = path.join(sys.config.dataDir, '2_raw/spotify')
    await mkdir(raw, { recursive: true })
    const refused = { file: '20250101_000000_s4a_export.csv', at: daysAgo(2).toISOString(), status: 'refused', reason: 'names no artist', outputs: [] }
    await writeFile(path.join(raw, '_hashes.json'), JSON.stringify({ ['a'.repeat(64)]: refused }))

    const h = await health(sys.runner, { today })
    expect(h.status).toBe('warn')
    expect(h.issues.map((i) => [i.source, i.kind, i.level])).toEqual([
      ['distrokid', 'stuck', 'warn'],
      ['spotify', 'refused', 'warn'],
      ['toolost', 'session-expiring', 'warn'],
    ])
    expect(h.sources.find((s) => s.source === 'distrokid')!.stuck.landing).toEqual([{ file: stuckName, dataset: 'streams', since: expect.any(String) }])
    expect(h.issues[2].command).toBe('npm run auth -- toolost')
    expect((await runCli('health', [], sys.env)).code).toBe(0)
  })

  it('a failed run and stale data are errors with their hint; npm run health exits 1; thresholds are per source', async () => {
    const at = new Date().toISOString()
    await sys.services.wh.db
      .insertInto('runs')
      .values({
        id: 'spotify-failed',
        source: 'spotify',
        trigger: 'cron',
        mode: 'automated',
        skip_extract: 0,
        window_from: null,
        window_to: null,
        status: 'failed',
        severity: 'high',
        message: 'extract: fetch failed',
        started_at: at,
        finished_at: at,
        pid: null,
      })
      .execute()
    await sys.services.wh.db.deleteFrom('streams_daily').where('distributor', '=', 'toolost').execute()
    await dataDay(sys.services.wh.db, 'toolost', daysAgo(10).toISOString().slice(0, 10))

    const h = await health(sys.runner, { today })
    expect(h.status).toBe('error')
    const spotify = h.sources.find((s) => s.source === 'spotify')!
    expect(spotify.status).toBe('error')
    expect(spotify.lastError).toMatchObject({ status: 'failed', severity: 'high', message: 'extract: fetch failed' })
    expect(spotify.lastError!.hint).toMatch(/errors\.jsonl.*`npm run pipeline -- spotify`/)
    expect(spotify.lastSuccess).not.toBeNull()
    const toolost = h.sources.find((s) => s.source === 'toolost')!
    expect(toolost).toMatchObject({ freshness: 'stale', ageDays: 10, status: 'error' })
    // A monthly source may declare looser thresholds: 10 days is then fresh.
    const loose = await health(sys.runner, { today, thresholds: (s) => (s === 'toolost' ? { warnDays: 40, staleDays: 75 } : undefined) })
    expect(loose.sources.find((s) => s.source === 'toolost')!.freshness).toBe('fresh')

    const r = await runCli('health', [], sys.env)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/ERROR spotify/)
    expect(r.stdout).toContain('overall: error')
    const json = await (await sys.app.request('/health')).json()
    expect(json.status).toBe('error')
    expect(JSON.stringify(json)).not.toContain('fake-cookie-value')
  })
})
