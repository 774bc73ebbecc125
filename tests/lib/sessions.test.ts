/**
 * Sessions: one expiry rule for every source, statuses with days left, and the semi-manual login
 * played end to end in Chromium against the fake DistroKid sign-in page (the test is the person).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginFlow } from '../../lib/credentials/login.ts'
import { CredentialStore, sessionExpiry } from '../../lib/credentials/store.ts'
import distrokid from '../../functions/distrokid/source.ts'
import toolost from '../../functions/toolost/source.ts'
import { resolveSources } from '../../lib/source.ts'
import { createFakeDistroKid, serveFake } from '../../functions/distrokid/fake.ts'
import { dailySeries, ledgerLines, ledgerTsv } from '../../functions/distrokid/fake-data.ts'
import { makeSystem, tempDir } from '../helpers.ts'

const DAY = 86_400_000
const jwt = (exp: number) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.fake-signature`
const cookie = (name: string, expiresMs: number) => ({
  name,
  value: 'fake-value-123',
  domain: 'x.test',
  path: '/',
  expires: expiresMs / 1000,
  httpOnly: true,
  secure: false,
  sameSite: 'Lax' as const,
})

describe('session expiry rule', () => {
  const captured = Date.UTC(2025, 0, 1)
  it('is the earliest of the critical cookie expiry and captured time + max age', () => {
    const p = distrokid.session!
    const capturedAt = new Date(captured).toISOString()
    const state = (ms: number) => ({ cookies: [cookie('dk_session', ms), cookie('tracking', captured + DAY)], origins: [] })
    // The tracking cookie expiring tomorrow does not matter; only the critical cookie does.
    expect(sessionExpiry({ source: 'distrokid', account: 'default', capturedAt, storageState: state(captured + 5 * DAY) }, p).getTime()).toBe(
      captured + 5 * DAY,
    )
    expect(sessionExpiry({ source: 'distrokid', account: 'default', capturedAt, storageState: state(captured + 400 * DAY) }, p).getTime()).toBe(
      captured + 30 * DAY,
    )
  })

  it('uses the JWT exp for TooLost when no login cookie stands behind it, capped at the 30-day max age', () => {
    const p = toolost.session!
    const capturedAt = new Date(captured).toISOString()
    expect(sessionExpiry({ source: 'toolost', account: 'default', capturedAt, token: jwt((captured + 2 * DAY) / 1000) }, p).getTime()).toBe(captured + 2 * DAY)
    expect(sessionExpiry({ source: 'toolost', account: 'default', capturedAt, token: jwt((captured + 40 * DAY) / 1000) }, p).getTime()).toBe(
      captured + 30 * DAY,
    )
    // With the portal's login cookie the JWT is renewable and no longer bounds the session.
    const state = { cookies: [cookie('toolost_session', captured + 20 * DAY)], origins: [] }
    expect(
      sessionExpiry({ source: 'toolost', account: 'default', capturedAt, token: jwt((captured + 2 * DAY) / 1000), storageState: state }, p).getTime(),
    ).toBe(captured + 20 * DAY)
  })

  it('reports valid, expiring (inside the refresh window), expired and missing with days left', async () => {
    const dir = await tempDir('sess-')
    let now = captured
    const store = new CredentialStore(dir, () => new Date(now), resolveSources({}, [toolost]))
    expect((await store.status('toolost', 'default')).status).toBe('missing')
    await store.save('toolost', 'default', { token: jwt((captured + 7 * DAY) / 1000) })
    const at = async (days: number) => {
      now = captured + days * DAY
      const s = await store.status('toolost', 'default')
      return [s.status, s.daysLeft]
    }
    expect(await at(1)).toEqual(['valid', 6])
    expect(await at(5.5)).toEqual(['expiring', 1])
    expect(await at(7)).toEqual(['expired', 0])
    expect((await store.status('toolost', 'default')).command).toBe('npm run auth -- toolost')
  })
})

describe('npm run auth flow in Chromium', () => {
  let server: { url: string; close(): Promise<void> }
  beforeAll(async () => {
    const fake = createFakeDistroKid({
      spotifyDaily: dailySeries('2025-04-01', '2025-04-10', 1),
      appleDaily: dailySeries('2025-04-01', '2025-04-10', 2, 100),
      ledgerTsv: ledgerTsv([...ledgerLines(5, 1)]),
      account: { email: 'label@example.test', password: 'fake-password-1', otp: '424242' },
    })
    server = await serveFake(fake.app)
  })
  afterAll(() => server.close())

  it('waits while the person logs in with 2FA, saves the session, and the next run uses it', async () => {
    const sys = await makeSystem({ DISTROKID_BASE_URL: server.url })
    try {
      expect((await sys.services.credentials.status('distrokid', 'default')).status).toBe('missing')
      const status = await loginFlow(sys.services, 'distrokid', 'default', {
        headless: true,
        timeoutMs: 20_000,
        onPage: async (page) => {
          await page.fill('input[type="email"]', 'label@example.test')
          await page.fill('input[type="password"]', 'fake-password-1')
          await page.click('button[type="submit"]')
          await page.fill('input[name="code"]', '424242')
          await page.click('button[type="submit"]')
        },
      })
      expect(status.status).toBe('valid')
      expect(status.daysLeft).toBe(29)
      const report = await sys.runner.run({ source: 'distrokid', trigger: 'cli' })
      expect(report.status, report.message).toBe('ok')
      expect(report.steps.extract?.filesOut).toBe(3)
    } finally {
      await sys.close()
    }
  }, 180_000)

  it('gives up after its time limit when nobody logs in (never hangs)', async () => {
    const sys = await makeSystem({ DISTROKID_BASE_URL: server.url })
    try {
      await expect(loginFlow(sys.services, 'distrokid', 'default', { headless: true, timeoutMs: 1500 })).rejects.toThrow(/Timeout 1500ms exceeded/)
      expect((await sys.services.credentials.status('distrokid', 'default')).status).toBe('missing')
    } finally {
      await sys.close()
    }
  })
})
