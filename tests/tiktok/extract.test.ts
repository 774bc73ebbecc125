/**
 * TikTok through the real runner against the fake Studio, in the system Chromium: both accounts with
 * their own sessions; one account's session dead (login page / status_code 8) while the other runs;
 * throttling retried and throttling that outlasts the retries; a truncated ZIP; a file whose dates do
 * not fit its window; the click that delivers nothing; restated days on a second run.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createFakeTikTok, type FakeTikTok } from '../../functions/tiktok/fake.ts'
import { serveFake } from '../../lib/fakes/serve.ts'
import { makeSystem } from '../helpers.ts'
import { addDays } from '../../lib/kpi/window.ts'

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
  it('downloads the 365-day export per account with a follower snapshot; a second download restates the provisional days', async () => {
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

    const before = await rows('zone.a0')
    await new Promise((r) => setTimeout(r, 1100)) // a later download: a later epoch in its name
    expect((await run()).status).toBe('ok')
    const after = await rows('zone.a0')
    expect(after).toHaveLength(365)
    const changed = after.filter((r, i) => r.views !== before[i].views).map((r) => r.date)
    expect(changed.length).toBeGreaterThan(0)
    expect(changed.every((d) => d >= addDays(today, -1))).toBe(true)
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
