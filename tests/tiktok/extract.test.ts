/**
 * TikTok through the real runner against the fake Studio, in the system Chromium: both accounts with
 * their own sessions; one account's session dead (login page / status_code 8) while the other runs;
 * throttling retried and throttling that outlasts the retries; a truncated ZIP; a file whose dates do
 * not fit its window; the click that delivers nothing; a same-day re-run that reads only the followers;
 * restated days on a later export.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createFakeTikTok, type FakeTikTok } from '../../functions/tiktok/fake.ts'
import { serveFake } from '../../lib/fakes/serve.ts'
import { makeSystem } from '../helpers.ts'
import { addDays } from '../../lib/kpi/window.ts'
import { loadConfig } from '../../lib/config.ts'
import { openServices } from '../../lib/context.ts'
import { Runner } from '../../lib/pipeline.ts'
import { loadRegistry } from '../../lib/registry.ts'

const DAY = 86_400_000

let fake: FakeTikTok
let server: { url: string; close(): Promise<void> }
let sys: Awaited<ReturnType<typeof makeSystem>>

beforeAll(async () => {
  fake = createFakeTikTok({
    accounts: [
      { name: 'zone.a0', scale: 4000, followers: 15000 },
      { name: 'pig1987', scale: 900, followers: 2100 },
    ],
  })
  server = await serveFake(fake.app)
})
afterAll(async () => server.close())
beforeEach(async () => {
  if (sys) await sys.close()
  sys = await makeSystem({ TIKTOK_BASE_URL: server.url })
  for (const a of ['zone.a0', 'pig1987'])
    await sys.services.credentials.save('tiktok', a, { storageState: fake.session(a, server.url, new Date(Date.now() + 20 * DAY)) })
})
afterAll(async () => sys?.close())

const run = () => sys.runner.run({ source: 'tiktok', trigger: 'cli' })
const rows = (account: string) =>
  sys.services.wh.db.selectFrom('social_daily').selectAll().where('platform', '=', 'tiktok').where('account', '=', account).orderBy('date').execute()

describe('TikTok Studio extract', () => {
  it('downloads the 365-day export per account with a follower snapshot; a same-day re-run reads only the followers, a later export restates the provisional days', async () => {
    const today = new Date().toISOString().slice(0, 10)
    const report = await run()
    expect(report.status, report.message).toBe('ok')
    for (const [account, followers] of [
      ['zone.a0', 15000],
      ['pig1987', 2100],
    ] as const) {
      const r = await rows(account)
      expect(r).toHaveLength(365)
      expect(r[0].date).toBe(addDays(today, -364))
      expect(r.at(-1)!.date).toBe(today)
      const snap = r.filter((x) => x.followers !== null)
      expect(snap.map((x) => x.date)).toEqual([today])
      expect(snap[0].followers).toBeGreaterThan(followers)
    }
    const names = (await sys.services.lake.list('landing', 'tiktok', 'overview')).map((f) => f.name.slice(16))
    expect(names).toHaveLength(2)
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^Overview_${addDays(today, -364)}_\\d{10}_pig1987\\.zip$`)),
        expect.stringMatching(new RegExp(`^Overview_${addDays(today, -364)}_\\d{10}_zone\\.a0\\.zip$`)),
      ]),
    )

    // A same-day re-run: the exports are not due again, so no browser; only the follower snapshot is read.
    const before = await rows('zone.a0')
    const seen = fake.requests.length
    const again = await run()
    expect(again.status, again.message).toBe('ok')
    expect(again.steps.extract!.message).toMatch(
      /zone\.a0: a follower snapshot landed; the Overview export was downloaded 0\.0 hours ago \(again after 20 hours, BEDROT_TIKTOK_EXPORT_EVERY_HOURS\)/,
    )
    expect(fake.requests.slice(seen).sort()).toEqual(['GET /aweme/v2/data/insight/', 'GET /aweme/v2/data/insight/'])
    expect(await rows('zone.a0')).toEqual(before)

    // With the cadence at 0 every run exports, and a later download restates the provisional days.
    const config = loadConfig({ ...sys.env, BEDROT_TIKTOK_EXPORT_EVERY_HOURS: '0' })
    const services = await openServices(config, { minBackoffMs: 5 })
    await new Promise((r) => setTimeout(r, 1100)) // a later download: a later epoch in its name
    try {
      expect((await new Runner(services, await loadRegistry()).run({ source: 'tiktok', trigger: 'cli' })).status).toBe('ok')
    } finally {
      await services.close()
    }
    const after = await rows('zone.a0')
    expect(after).toHaveLength(365)
    const changed = after.filter((r, i) => r.views !== before[i].views).map((r) => r.date)
    expect(changed.length).toBeGreaterThan(0)
    expect(changed.every((d) => d >= addDays(today, -1))).toBe(true)

    // The follower read without a browser knows a dead session too: that account alone needs a login.
    fake.expire('pig1987')
    const dead = await run()
    expect(dead.status, dead.message).toBe('ok')
    expect(dead.severity).toBe('low')
    expect(dead.steps.extract!.message).toMatch(/pig1987: TikTok answered status_code 8 \(Login expired\).*npm run auth -- tiktok 'pig1987'/)
  }, 240_000)

  it('an account whose session TikTok ended is needs_auth alone; the other loads, after a throttle toast was retried', async () => {
    fake.expire('pig1987')
    fake.fail('zone.a0', { kind: 'throttle', retryAfter: 0 })
    const report = await run()
    expect(report.status, report.message).toBe('ok')
    expect(report.severity).toBe('low')
    expect(report.message).toMatch(/pig1987: .*(Login expired|login page).*npm run auth -- tiktok 'pig1987'/)
    expect(await rows('pig1987')).toHaveLength(0)
    expect(await rows('zone.a0')).toHaveLength(365)
  }, 240_000)

  it('both sessions gone (a login redirect, and status_code 8 in a 200 JSON body) → needs_auth for the source', async () => {
    fake.expire('pig1987')
    fake.fail('zone.a0', { kind: 'expired-json' })
    const report = await run()
    expect(report.status).toBe('needs_auth')
    expect(report.message).toMatch(/zone\.a0: TikTok answered status_code 8 \(Login expired\)/)
    expect(report.message).toMatch(/pig1987: TikTok Studio redirected to the login page/)
    expect(await sys.services.lake.list('landing', 'tiktok')).toHaveLength(0)
  }, 240_000)

  it('a truncated ZIP and a file whose labels do not fit its window are refused whole and kept in landing', async () => {
    fake.fail('zone.a0', { kind: 'truncated' })
    fake.fail('pig1987', { kind: 'wrong-dates' })
    const report = await run()
    expect(report.status).toBe('failed')
    expect(report.steps.extract!.message).toMatch(/zone\.a0: not a readable ZIP/)
    expect(report.steps.clean!.message).toMatch(/refused .*zone\.a0\.zip: not a readable ZIP.*kept in landing/)
    expect(report.steps.clean!.message).toMatch(/pig1987\.zip: row 5: Date "\w+ \d+" is not \d{4}-\d{2}-\d{2} \(window start/)
    expect((await sys.services.lake.list('landing', 'tiktok', 'overview')).length).toBe(2)
    expect((await rows('zone.a0')).filter((r) => r.views !== null)).toHaveLength(0)
    expect((await rows('pig1987')).filter((r) => r.views !== null)).toHaveLength(0)
  }, 240_000)

  it('a throttle that outlasts the retries, and a "Download" that delivers nothing, fail their accounts without hanging', async () => {
    fake.fail('zone.a0', ...Array.from({ length: 4 }, () => ({ kind: 'throttle' as const, retryAfter: 0 })))
    fake.fail('pig1987', { kind: 'stall' })
    const report = await run()
    expect(report.status).toBe('failed')
    expect(report.steps.extract!.message).toMatch(/zone\.a0: TikTok refused the export: "Too many requests.*" after 4 attempts/)
    expect(report.steps.extract!.message).toMatch(/pig1987: "Download" delivered no file/)
  }, 240_000)
})
