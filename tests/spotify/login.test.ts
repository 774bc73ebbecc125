/**
 * `npm run auth -- spotify 'ZONE A0'` against the fake in headless Chromium: the person's login is
 * played by the test, the saved session then drives the extractor (the token the page keeps in its
 * storage is the S4A bearer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginFlow } from '../../lib/credentials/login.ts'
import { createFakeSpotify, demoArtists, serveFake } from '../../functions/spotify/fake.ts'
import { makeSystem } from '../helpers.ts'

const ZONE = '62owJQCD2XzVB2o19CVsFM'
let sys: Awaited<ReturnType<typeof makeSystem>>
let server: Awaited<ReturnType<typeof serveFake>>
const fake = createFakeSpotify({ artists: demoArtists(), logins: { 'artist@example.com': { password: 'fake-password-123', artistIds: [ZONE] } } })

beforeAll(async () => {
  server = await serveFake(fake.app)
  sys = await makeSystem({
    SPOTIFY_ARTISTS_BASE_URL: server.url,
    SPOTIFY_API_BASE_URL: server.url,
    SPOTIFY_ARTISTS_APP_URL: server.url,
    SPOTIFY_ACCOUNTS_URL: server.url,
  })
})
afterAll(async () => {
  await sys.close()
  await server.close()
})

describe('S4A login → extract', () => {
  it('saves a valid session from the login form and extracts that account', async () => {
    const status = await loginFlow(sys.services, 'spotify', 'ZONE A0', {
      headless: true,
      timeoutMs: 15_000,
      onPage: async (page) => {
        await page.fill('#login-username', 'artist@example.com')
        await page.fill('#login-password', 'fake-password-123')
        await page.click('#login-button')
      },
    })
    expect(status.status).toBe('valid')
    const report = await sys.runner.run({ source: 'spotify', trigger: 'cli' })
    expect(report.status, report.message).toBe('ok')
    expect(report.steps.extract!.message).toMatch(/^ZONE A0: 3 timeline files, .*PIG1987: skipped, session missing/)
    const n = await sys.services.wh.db
      .selectFrom('spotify_audience_daily')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(31)
  })
})
