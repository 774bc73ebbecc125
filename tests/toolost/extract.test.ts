/**
 * TooLost extraction against the fake portal, through the real runner (and the real CLI where the exit
 * code matters): a valid session, every way a session dies, throttling, a flaky server, bad JSON.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loginFlow } from '../../lib/credentials/login.ts'
import { lastJson, makeSystem, runCli } from '../helpers.ts'
import { createFakeTooLost, fakeJwt, serveFake, type DailyPoint, type FakeTooLost } from '../../functions/toolost/fake.ts'

const DAY = 86_400_000
const FAKE_TODAY = new Date('2025-05-22T12:00:00Z')

function days(from: string, n: number, base: number, skip: string[] = []): DailyPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    date: new Date(Date.parse(`${from}T00:00:00Z`) + i * DAY).toISOString().slice(0, 10),
    streams: base + ((i * 37) % 53),
  })).filter((p) => !skip.includes(p.date))
}

// December of last year is in the data but not in `thisYear`: it must not be served.
const spotify = [...days('2024-12-20', 12, 500), ...days('2025-05-01', 21, 900)]
const apple = days('2025-05-01', 18, 10, ['2025-05-07'])
const total = (ps: DailyPoint[]) => ps.filter((p) => p.date >= '2025-01-01').reduce((s, p) => s + p.streams, 0)

let fake: FakeTooLost
let server: { url: string; close(): Promise<void> }
let sys: Awaited<ReturnType<typeof makeSystem>>

beforeEach(async () => {
  fake = createFakeTooLost({ spotify, apple, now: FAKE_TODAY, account: { email: 'artist@example.com', password: 'fake-password-123' } })
  server = await serveFake(fake.app)
  sys = await makeSystem({ TOOLOST_BASE_URL: server.url })
})
afterEach(async () => {
  await sys.close()
  await server.close()
})

const saveToken = (exp: Date) => sys.services.credentials.save('toolost', 'default', { token: fakeJwt(exp) })
const inThreeDays = () => new Date(Date.now() + 3 * DAY)
const landed = async () => (await sys.services.lake.list('landing', 'toolost')).map((f) => `${f.dataset}/${f.name.slice(16)}`)
const apiCalls = (endpoint: string) => fake.requests.filter((r) => r.includes(`/analytics/${endpoint}`)).length
const run = () => sys.runner.run({ source: 'toolost', trigger: 'cli' })
const warehouse = () =>
  sys.services.wh.db
    .selectFrom('streams_daily')
    .select(['date', 'platform', 'streams'])
    .where('distributor', '=', 'toolost')
    .orderBy('date')
    .orderBy('platform')
    .execute()

describe('TooLost extract with a valid session', () => {
  it('calls both endpoints with the Bearer JWT, lands toolost_<platform>.json, and loads this year only', async () => {
    await saveToken(inThreeDays())
    const report = await run()
    expect(report.status, report.message).toBe('ok')
    expect(fake.requests).toEqual(['GET /api/portal/analytics/spotify?release=&date=thisYear', 'GET /api/portal/analytics/apple/?release=&date=thisYear'])
    expect(fake.authorizations.every((a) => a?.startsWith('Bearer ') && a.split('.').length === 3)).toBe(true)
    expect((await landed()).sort()).toEqual(['apple/toolost_apple.json', 'spotify/toolost_spotify.json'])
    const rows = await warehouse()
    const sum = (p: string) => rows.filter((r) => r.platform === p).reduce((s, r) => s + r.streams, 0)
    expect(rows.filter((r) => r.platform === 'spotify')).toHaveLength(21)
    expect(sum('spotify')).toBe(total(spotify))
    expect(rows.filter((r) => r.platform === 'apple')).toHaveLength(17)
    expect(sum('apple')).toBe(total(apple))
    // The day Apple did not report has no row at all, not a 0.
    expect(rows.find((r) => r.date === '2025-05-07' && r.platform === 'apple')).toBeUndefined()
    expect(rows.find((r) => r.date === '2025-05-07' && r.platform === 'spotify')).toBeDefined()
  })

  it('finds the JWT in a stored storageState (localStorage) and sends the cookies too', async () => {
    const storageState = {
      cookies: [
        {
          name: 'toolost_session',
          value: 'fake-session-123',
          domain: '127.0.0.1',
          path: '/',
          expires: -1,
          httpOnly: true,
          secure: false,
          sameSite: 'Lax' as const,
        },
      ],
      origins: [{ origin: server.url, localStorage: [{ name: 'token', value: fakeJwt(inThreeDays()) }] }],
    }
    await sys.services.credentials.save('toolost', 'default', { storageState })
    expect((await run()).status).toBe('ok')
    expect(fake.authorizations).toHaveLength(2)
    expect(fake.authorizations[0]).toBe(`Bearer ${storageState.origins[0].localStorage[0].value}`)
    expect(fake.cookies).toEqual(['toolost_session=fake-session-123', 'toolost_session=fake-session-123'])
  })

  it('works with the session `npm run auth -- toolost` saves from the login page', async () => {
    fake.setNow(new Date()) // the portal issues a 7-day JWT from its own clock
    const status = await loginFlow(sys.services, 'toolost', 'default', {
      headless: true,
      timeoutMs: 15_000,
      onPage: async (page) => {
        await page.fill('input[type="email"]', 'artist@example.com')
        await page.fill('input[type="password"]', 'fake-password-123')
        await page.click('button[type="submit"]')
      },
    })
    expect(status.status).toBe('valid')
    expect((await run()).status).toBe('ok')
    expect(await landed()).toHaveLength(2)
  })
})

describe('TooLost extract when the session is gone', () => {
  it('a JWT whose exp has passed: exit 3 with the auth hint, no API call, nothing landed', async () => {
    await saveToken(new Date(Date.now() - DAY))
    const r = await runCli('pipeline', ['toolost'], sys.env)
    expect(r.code, r.stderr).toBe(3)
    const report = lastJson(r.stdout)
    expect(report.status).toBe('needs_auth')
    expect(report.severity).toBe('low')
    expect(report.message).toContain('npm run auth -- toolost')
    expect(fake.requests).toEqual([])
    expect(await landed()).toEqual([])
  })

  it('an expired JWT kept only in localStorage is caught by the extractor before any request', async () => {
    const expired = fakeJwt(new Date(Date.now() - 60_000))
    const storageState = { cookies: [], origins: [{ origin: server.url, localStorage: [{ name: 'jwt', value: expired }] }] }
    await sys.services.credentials.save('toolost', 'default', { storageState })
    const report = await run()
    expect(report.status).toBe('needs_auth')
    expect(report.steps.extract?.message).toMatch(/JWT expired at .*npm run auth -- toolost/)
    expect(fake.requests).toEqual([])
    expect(await landed()).toEqual([])
  })

  it('no session at all: needs_auth with the hint, nothing requested', async () => {
    const report = await run()
    expect(report.status).toBe('needs_auth')
    expect(report.message).toContain('npm run auth -- toolost')
    expect(fake.requests).toEqual([])
  })

  it('the portal rejects the JWT with 401 and no login session stands behind it: needs_auth, not retried, nothing landed', async () => {
    await saveToken(inThreeDays())
    fake.setNow(new Date(Date.now() + 8 * DAY)) // the portal's clock says the token is older than its life
    const report = await run()
    expect(report.status).toBe('needs_auth')
    // Renewal opened the portal, which (no session cookie) asked to sign in: the login is gone.
    expect(report.message).toMatch(/Spotify analytics: toolost session ended \(.*asked to sign in again\).*npm run auth -- toolost/)
    expect((await sys.services.credentials.status('toolost', 'default')).status).toBe('expired')
    expect(apiCalls('spotify')).toBe(1)
    expect(apiCalls('apple')).toBe(0)
    expect(await landed()).toEqual([])
  })

  it('a 302 to /login on the second endpoint: needs_auth, and the first payload is not landed either', async () => {
    await saveToken(inThreeDays())
    fake.fail('apple', { kind: 'login-redirect' })
    const report = await run()
    expect(report.status).toBe('needs_auth')
    expect(report.steps.extract?.message).toMatch(/^Apple Music analytics: toolost session ended \(.*asked to sign in again\).*npm run auth -- toolost/)
    expect(apiCalls('apple')).toBe(1)
    expect(await landed()).toEqual([])
    expect(report.steps.clean).toBeUndefined()
  })
})

describe('TooLost extract when the portal misbehaves', () => {
  beforeEach(() => saveToken(inThreeDays()))

  it('429 with Retry-After: waits, retries, ok', async () => {
    fake.fail('spotify', { status: 429, retryAfter: '1' })
    expect((await run()).status).toBe('ok')
    expect(apiCalls('spotify')).toBe(2)
    expect(await landed()).toHaveLength(2)
  })

  it('429 without Retry-After, twice: backs off, retries, ok', async () => {
    fake.fail('apple', { status: 429 }, { status: 429 })
    expect((await run()).status).toBe('ok')
    expect(apiCalls('apple')).toBe(3)
  })

  it('429 beyond the retries: failed with a clear message, nothing landed', async () => {
    fake.fail('spotify', ...Array.from({ length: 10 }, () => ({ status: 429 as const })))
    const report = await run()
    expect(report.status).toBe('failed')
    expect(report.severity).toBe('medium')
    expect(report.steps.extract?.message).toBe(
      'Spotify analytics: rate limited (toolost: GET /api/portal/analytics/spotify, attempt 4/4): still throttled after 4 attempts, giving up until the next run',
    )
    expect(apiCalls('spotify')).toBe(4) // BEDROT_UPSTREAM_RETRIES=3 in tests
    expect(apiCalls('apple')).toBe(0)
    expect(await landed()).toEqual([])
  })

  it('429 asking to wait an hour: gives up at once instead of blocking the run', async () => {
    fake.fail('spotify', { status: 429, retryAfter: '3600' })
    const report = await run()
    expect(report.status).toBe('failed')
    expect(report.steps.extract?.message).toMatch(/the server asked to wait 3600 s/)
    expect(apiCalls('spotify')).toBe(1)
  })

  it('a 500 then success: retried, ok', async () => {
    fake.fail('apple', { status: 500 })
    const report = await run()
    expect(report.status).toBe('ok')
    expect(apiCalls('apple')).toBe(2)
    expect((await warehouse()).filter((r) => r.platform === 'apple')).toHaveLength(17)
  })

  it('malformed JSON: failed, severity medium, nothing landed', async () => {
    fake.fail('apple', { kind: 'malformed' })
    const report = await run()
    expect(report.status).toBe('failed')
    expect(report.severity).toBe('medium')
    expect(report.steps.extract?.message).toMatch(/^Apple Music analytics: malformed JSON from \/api\/portal\/analytics\/apple\//)
    expect(apiCalls('apple')).toBe(1) // drift is never retried
    expect(await landed()).toEqual([])
    expect(await warehouse()).toEqual([])
  })
})
