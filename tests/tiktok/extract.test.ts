/**
 * TikTok through the real runner against the fake Studio, in the system Chromium: both accounts with
 * their own sessions; one account's session dead (login page / status_code 8) while the other runs;
 * throttling retried and throttling that outlasts the retries; a truncated ZIP; a file whose dates do
 * not fit its window; the click that delivers nothing; restated days on a second run.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createFakeTikTok, type FakeTikTok } from '../../functions/tiktok/fake.ts'
import { serveFake } from '../fakes/serve.ts'
import { makeSystem } from '../helpers.ts'

const DAY = 86_400_000
const NOW = new Date('2026-01-03T09:30:00Z')

let fake: FakeTikTok
let server: { url: string; close(): Promise<void> }
let sys: Awaited<ReturnType<typeof makeSystem>>

beforeAll(async () => {
  fake = createFakeTikTok({ accounts: [{ name: 'zone.a0', scale: 4000, followers: 15000 }, { name: 'pig1987', scale: 900, followers: 2100 }], now: NOW })
  server = await serveFake(fake.app)
})
afterAll(async () => server.close())
beforeEach(async () => {
  if (sys) await sys.close()
  sys = await makeSystem({ BEDROT_BROWSER_TIMEOUT_MS: '4000' })
  sys.config.baseUrls.tiktok = server.url
  for (const a of ['zone.a0', 'pig1987']) await sys.services.credentials.save('tiktok', a, { storageState: fake.session(a, server.url, new Date(Date.now() + 20 * DAY)) })
})
afterAll(async () => sys?.close())

const run = () => sys.runner.run({ source: 'tiktok', trigger: 'cli' })
const rows = (account: string) =>
  sys.services.wh.db.selectFrom('social_daily').selectAll().where('platform', '=', 'tiktok').where('account', '=', account).orderBy('date').execute()

describe('TikTok Studio extract', () => {
  it('downloads the 365-day export per account, across the year boundary, with a follower snapshot', async () => {
    const report = await run()
    expect(report.status, report.message).toBe('ok')
    for (const [account, followers] of [['zone.a0', 15000], ['pig1987', 2100]] as const) {
      const r = await rows(account)
      expect(r).toHaveLength(365)
      expect(r[0].date).toBe('2025-01-04')
      expect(r.at(-1)!.date).toBe('2026-01-03')
      expect(r.find((x) => x.date === '2025-12-31')!.views).toBeGreaterThan(0)
      const snap = r.filter((x) => x.followers !== null)
      expect(snap.map((x) => x.date)).toEqual(['2026-01-03'])
      expect(snap[0].followers).toBeGreaterThan(followers)
    }
    const landed = (await sys.services.lake.list('landing', 'tiktok', 'overview')).map((f) => f.name.slice(16))
    expect(landed.sort()).toEqual([`Overview_2025-01-04_${NOW.getTime() / 1000}_pig1987.zip`, `Overview_2025-01-04_${NOW.getTime() / 1000}_zone.a0.zip`])
  })

  it('a second download restates the provisional days: the newest export wins, nothing doubles', async () => {
    await run()
    const before = await rows('zone.a0')
    fake.setNow(new Date(NOW.getTime() + 3600_000))
    const report = await run()
    fake.setNow(NOW)
    expect(report.status, report.message).toBe('ok')
    const after = await rows('zone.a0')
    expect(after).toHaveLength(365)
    const changed = after.filter((r, i) => r.views !== before[i].views).map((r) => r.date)
    expect(changed.length).toBeGreaterThan(0)
    expect(changed.every((d) => d >= '2026-01-02')).toBe(true)
  })

  it('an account whose session TikTok ended is needs_auth alone; the other account still loads', async () => {
    fake.expire('pig1987')
    const report = await run()
    expect(report.status).toBe('ok')
    expect(report.severity).toBe('low')
    expect(report.message).toMatch(/pig1987: .*(Login expired|login page).*npm run auth -- tiktok 'pig1987'/)
    expect(await rows('pig1987')).toHaveLength(0)
    expect(await rows('zone.a0')).toHaveLength(365)
  })

  it('both sessions gone → needs_auth for the source', async () => {
    fake.expire('pig1987')
    fake.expire('zone.a0')
    const report = await run()
    expect(report.status).toBe('needs_auth')
  })

  it('a throttle toast is retried after Retry-After; a throttle that outlasts the retries fails that account only', async () => {
    fake.fail('zone.a0', { kind: 'throttle', retryAfter: 0 })
    expect((await run()).status).toBe('ok')
    expect(await rows('zone.a0')).toHaveLength(365)
    fake.fail('pig1987', ...Array.from({ length: 4 }, () => ({ kind: 'throttle' as const, retryAfter: 0 })))
    const report = await run()
    expect(report.status).toBe('failed')
    expect(report.severity).toBe('medium')
    expect(report.message).toMatch(/pig1987: TikTok refused the export: "Too many requests/)
  })

  it('a truncated ZIP is reported, kept in landing and refused by the cleaner; the other account loads', async () => {
    fake.fail('zone.a0', { kind: 'truncated' })
    const report = await run()
    expect(report.status).toBe('failed')
    expect(report.steps.extract!.message).toMatch(/zone\.a0: not a readable ZIP/)
    expect(report.steps.clean!.message).toMatch(/refused .*zone\.a0\.zip: not a readable ZIP.*kept in landing/)
    expect((await sys.services.lake.list('landing', 'tiktok', 'overview')).some((f) => f.name.endsWith('zone.a0.zip'))).toBe(true)
    expect(await rows('zone.a0')).toHaveLength(0)
    expect(await rows('pig1987')).toHaveLength(365)
  })

  it('an export whose labels do not match the dates its window gives is refused whole', async () => {
    fake.fail('pig1987', { kind: 'wrong-dates' })
    const report = await run()
    expect(report.steps.clean!.message).toMatch(/pig1987\.zip: row 5: Date "January 8" is not 2025-01-07/)
    expect(await rows('pig1987')).toHaveLength(0)
  })

  it('"Download" that delivers nothing fails the account instead of hanging or exporting 7 days', async () => {
    fake.fail('pig1987', { kind: 'stall' })
    const report = await run()
    expect(report.status).toBe('failed')
    expect(report.steps.extract!.message).toMatch(/pig1987: "Download" delivered no file/)
  })
})
