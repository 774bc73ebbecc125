/**
 * The DistroKid slice against the fake site: stats pages over HTTP with the stored session, the
 * ledger downloaded through the UI in Chromium, then clean → load → KPIs; and every way a session
 * can be unusable ends in needs_auth (exit 3) with nothing touched.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeDistroKid, serveFake, type FakeDistroKid } from '../../functions/distrokid/fake.ts'
import { dailySeries, ledgerLines, ledgerTsv, sumE8 } from '../../functions/distrokid/fake-data.ts'
import { envFor, lastJson, runCli, tempDir } from '../helpers.ts'
import { storeDistroKidSession } from './session.ts'

const spotify = dailySeries('2025-01-01', '2025-03-31', 1)
const apple = dailySeries('2025-01-05', '2025-03-30', 2, 200)
const lines = [...ledgerLines(300, 3)]

async function lakeFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(path.join(d, e.name))
      else if (!e.name.startsWith('.') && !e.name.startsWith('_')) out.push(path.relative(dir, path.join(d, e.name)))
    }
  }
  await walk(dir)
  return out.sort()
}

describe('DistroKid extract → clean → load against the fake site', () => {
  let fake: FakeDistroKid
  let server: { url: string; close(): Promise<void> }

  beforeAll(async () => {
    fake = createFakeDistroKid({ spotifyDaily: spotify, appleDaily: apple, ledgerTsv: ledgerTsv(lines, 15) })
    server = await serveFake(fake.app)
  })
  afterAll(() => server.close())

  it('lands both stats pages and the downloaded ledger, and the KPIs show them', async () => {
    const env = envFor(await tempDir('dk-ok-'), { DISTROKID_BASE_URL: server.url })
    await storeDistroKidSession(env.BEDROT_SESSIONS_DIR, server.url, fake.issueSession())
    const run = await runCli('pipeline', ['distrokid'], env)
    expect(run.code, run.stderr + run.stdout).toBe(0)
    const report = lastJson(run.stdout)
    expect(report.status).toBe('ok')
    expect(report.steps.extract.filesOut).toBe(3)
    const landing = (await lakeFiles(path.join(env.BEDROT_DATA_DIR, '1_landing'))).map((f) => f.replace(/\d{8}_\d{6}_/, 'STAMP_'))
    expect(landing).toEqual([
      'distrokid/bank/STAMP_dk_bank_details.tsv',
      'distrokid/stats/STAMP_applemusic_stats.html',
      'distrokid/stats/STAMP_streams_stats.html',
    ])

    const revenue = lastJson((await runCli('kpi', ['revenue-total', '--days', 'all'], env)).stdout)
    expect([revenue.exact, revenue.lines]).toEqual([sumE8(lines), lines.length])
    const streams = lastJson((await runCli('kpi', ['streams-by-platform', '--days', 'all'], env)).stdout)
    const by = Object.fromEntries(streams.breakdown.map((b: any) => [b.key, b.value]))
    expect(by).toEqual({ spotify: spotify.reduce((s, p) => s + p.streams, 0), apple: apple.reduce((s, p) => s + p.streams, 0) })

    // The next daily run reads the stats pages but leaves the browser closed: the ledger is a day's work
    // of Chromium and changes a few times a month. With a cadence of 0 days it is downloaded every run.
    const again = lastJson((await runCli('pipeline', ['distrokid'], env)).stdout)
    expect(again.steps.extract.filesOut).toBe(2)
    expect(again.steps.extract.message).toMatch(/the ledger was downloaded 0\.0 days ago \(again after 7 days/)
    const every = lastJson((await runCli('pipeline', ['distrokid'], { ...env, BEDROT_DISTROKID_LEDGER_EVERY_DAYS: '0' })).stdout)
    expect([every.status, every.steps.extract.filesOut]).toEqual(['ok', 3])
  }, 240_000)

  it('a session the site has expired: needs_auth, exit 3, nothing landed, clean and load not run', async () => {
    const env = envFor(await tempDir('dk-expired-'), { DISTROKID_BASE_URL: server.url })
    const id = fake.issueSession()
    fake.expireSession(id)
    await storeDistroKidSession(env.BEDROT_SESSIONS_DIR, server.url, id)
    const run = await runCli('pipeline', ['distrokid'], env)
    expect(run.code).toBe(3)
    const report = lastJson(run.stdout)
    expect(report.status).toBe('needs_auth')
    expect(report.severity).toBe('low')
    expect(report.message).toMatch(/sign-in.*npm run auth -- distrokid/)
    expect(Object.keys(report.steps)).toEqual(['extract'])
    expect(await lakeFiles(path.join(env.BEDROT_DATA_DIR, '1_landing'))).toEqual([])
    expect(await lakeFiles(path.join(env.BEDROT_DATA_DIR, '4_curated'))).toEqual([])
  })

  it('a session that dies between the stats pages and the bank download is needs_auth, without waiting for anyone', async () => {
    // The site drops the session right after the second stats page, as an expiry mid-run would.
    const id = fake.issueSession()
    let statsPages = 0
    const dying = new Hono()
    dying.use(async (c, next) => {
      await next()
      if (c.req.path.startsWith('/stats') && ++statsPages === 2) fake.expireSession(id)
    })
    dying.route('/', fake.app)
    const site = await serveFake(dying)
    try {
      const env = envFor(await tempDir('dk-wall-'), { DISTROKID_BASE_URL: site.url })
      await storeDistroKidSession(env.BEDROT_SESSIONS_DIR, site.url, id)
      const run = await runCli('pipeline', ['distrokid'], env)
      const report = lastJson(run.stdout)
      expect(run.code, JSON.stringify(report)).toBe(3)
      expect(report.message).toBe('bank-details download: the bank page redirected to sign-in: log in again with `npm run auth -- distrokid`')
      expect(report.steps.extract.filesOut).toBe(2)
      expect(Object.keys(report.steps)).toEqual(['extract'])
    } finally {
      await site.close()
    }
  })

  it('a bank page without its download button is drift (the site changed), reported at once', async () => {
    const changed = new Hono()
    changed.get('/bank/details/', (c) => c.html('<html><body><h1>Bank details</h1><p>Downloads moved.</p></body></html>'))
    changed.route('/', fake.app)
    const site = await serveFake(changed)
    try {
      const env = envFor(await tempDir('dk-drift-'), { DISTROKID_BASE_URL: site.url })
      await storeDistroKidSession(env.BEDROT_SESSIONS_DIR, site.url, fake.issueSession())
      const run = await runCli('pipeline', ['distrokid'], env)
      const report = lastJson(run.stdout)
      expect(run.code).toBe(1)
      expect(report.steps.extract).toMatchObject({ status: 'failed', severity: 'medium', filesOut: 2 })
      expect(report.steps.extract.message).toBe(
        'bank-details download: the bank-details page has no download button (div[onclick^="downloadBank"]; page layout changed?)',
      )
      // The stats pages that did arrive are still cleaned and loaded.
      expect(report.steps.load.status).toBe('ok')
    } finally {
      await site.close()
    }
  })

  it('no stored session, or one past its max age: needs_auth before any request is made', async () => {
    for (const capturedAt of [null, new Date(Date.now() - 31 * 86_400_000)]) {
      const env = envFor(await tempDir('dk-nosession-'), { DISTROKID_BASE_URL: server.url })
      if (capturedAt) await storeDistroKidSession(env.BEDROT_SESSIONS_DIR, server.url, fake.issueSession(), capturedAt)
      const before = fake.requests.length
      const run = await runCli('pipeline', ['distrokid'], env)
      expect(run.code).toBe(3)
      const report = lastJson(run.stdout)
      expect(report.message).toContain(capturedAt ? 'session expired for distrokid' : 'session missing for distrokid')
      expect(report.message).toContain('`npm run auth -- distrokid`')
      expect(report.steps).toEqual({})
      expect(fake.requests.length).toBe(before)
    }
  })
})
