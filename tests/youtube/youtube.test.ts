/**
 * YouTube against its fake: success (refresh token → access token, renewed when the fake's clock has
 * moved past its hour), the channel list followed through its pages, throttling (429 retried), the daily
 * quota (403 quotaExceeded: not retried, the source waits for midnight Pacific), a revoked refresh token
 * (needs_auth, never retried), a malformed payload, idempotent re-runs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFakeYoutube, serveFake, youtubeYear, type FakeYoutube } from '../../functions/youtube/fake.ts'
import { addDays } from '../../lib/kpi/window.ts'
import { makeSystem } from '../helpers.ts'

const today = new Date().toISOString().slice(0, 10)
// YouTube's days are Pacific days: the newest it has is two days before today in Pacific time.
const newestAvailable = addDays(new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles' }).format(new Date()), -2)
let fake: FakeYoutube
let server: { url: string; close(): Promise<void> }
let sys: Awaited<ReturnType<typeof makeSystem>>
let refresh: string

const channels = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `UCfake${i}`, title: `Channel ${i}`, days: youtubeYear(today) }))
const run = async (q = '') => (await sys.app.request(`/run/youtube${q}`, { method: 'POST' })).json()
const daily = () => sys.services.wh.db.selectFrom('youtube_daily').selectAll().orderBy('date').execute()

async function setUp(opts: { channels?: number; quotaPerDay?: number } = {}) {
  fake = createFakeYoutube({ channels: channels(opts.channels ?? 1), quotaPerDay: opts.quotaPerDay })
  server = await serveFake(fake.app)
  sys = await makeSystem({
    YOUTUBE_ANALYTICS_BASE_URL: server.url,
    YOUTUBE_DATA_BASE_URL: server.url,
    GOOGLE_OAUTH_BASE_URL: server.url,
    YOUTUBE_CLIENT_ID: fake.clientId,
    YOUTUBE_CLIENT_SECRET: fake.clientSecret,
  })
  refresh = fake.issueRefreshToken()
  await sys.services.credentials.save('youtube', 'default', { token: refresh })
}
beforeEach(() => setUp())
afterEach(async () => {
  await sys.close()
  await server.close()
})

describe('YouTube', () => {
  it('loads the trailing days YouTube has (the newest two are not available yet) and the channel totals', async () => {
    const r = await run()
    expect(r.status, JSON.stringify(r)).toBe('ok')
    const expected = youtubeYear(today).filter((d) => d.date >= addDays(today, -29) && d.date <= newestAvailable)
    const got = await daily()
    expect(got.map((g) => [g.date, g.views, g.watch_minutes, g.subscribers_gained, g.subscribers_lost])).toEqual(
      expected.map((d) => [d.date, d.views, d.estimatedMinutesWatched, d.subscribersGained, d.subscribersLost]),
    )
    const ch = await sys.services.wh.db.selectFrom('youtube_channels').selectAll().execute()
    expect(ch.map((c) => [c.channel, c.views])).toEqual([['UCfake0', youtubeYear(today).reduce((s, d) => s + d.views, 0)]])
    expect((await run()).steps.load.status).toBe('skipped')
    expect(await daily()).toEqual(got)
  })

  it('renews the access token once the fake clock passes its hour, with no person', async () => {
    expect((await run()).status).toBe('ok')
    fake.clock.advance(3 * 86_400_000)
    const r = await run()
    expect(r.status, JSON.stringify(r)).toBe('ok')
    expect(fake.queue.requests.filter((q) => q.startsWith('POST /token')).length).toBe(2)
  })

  it('follows the channel list through its pages', async () => {
    await sys.close()
    await server.close()
    await setUp({ channels: 120 })
    const r = await run()
    expect(r.status, JSON.stringify(r)).toBe('ok')
    expect(fake.queue.requests.filter((q) => q.includes('/youtube/v3/channels')).length).toBe(3)
    expect((await sys.services.wh.db.selectFrom('youtube_channels').select('channel').execute()).length).toBe(120)
  })

  it('retries a short-term limit (429 RESOURCE_EXHAUSTED)', async () => {
    fake.queue.fail(/\/v2\/reports/, (c) => c.json({ error: { code: 429, message: 'Quota exceeded for quota metric', status: 'RESOURCE_EXHAUSTED' } }, 429))
    expect((await run()).status).toBe('ok')
  })

  it('does not retry an exhausted daily quota, and waits for midnight Pacific', async () => {
    await sys.close()
    await server.close()
    await setUp({ quotaPerDay: 1 })
    const r = await run()
    expect([r.status, r.severity]).toEqual(['failed', 'medium'])
    expect(r.message).toMatch(/quotaExceeded.*not retried until the quota resets/)
    const calls = fake.unitsUsed()
    const again = await run()
    expect(again.status).toBe('skipped')
    expect(again.message).toMatch(/resets at/)
    expect(fake.unitsUsed()).toBe(calls)
  })

  it('a revoked refresh token is needs_auth with the command, asked once', async () => {
    fake.revoke(refresh)
    const r = await run()
    expect(r.status).toBe('needs_auth')
    expect(r.message).toContain('npm run auth -- youtube')
    expect(fake.queue.requests.filter((q) => q.startsWith('POST /token')).length).toBe(1)
  })

  it('a malformed report fails clearly and loads nothing', async () => {
    fake.queue.fail(/\/v2\/reports/, (c) => c.json({ kind: 'youtubeAnalytics#resultTable', columnHeaders: 'oops' }))
    const r = await run()
    expect([r.status, r.severity]).toEqual(['failed', 'medium'])
    expect(await daily()).toEqual([])
  })
})
