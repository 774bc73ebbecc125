/**
 * Days later, with nobody there: a person logs in to every fake once (the test plays the person in
 * headless Chromium), the fakes' clocks and ours move 8 days on — past the hour an S4A token lives and
 * the 7 days a TooLost JWT lives, inside every login session — and the daily run is ok for every source,
 * each short token renewed from the stored browser session. Past the sessions' own life it is
 * needs_auth with the command to run, never a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeClock } from '../../lib/clock.ts'
import { loginFlow } from '../../lib/credentials/login.ts'
import { CredentialStore } from '../../lib/credentials/store.ts'
import { createFakeDistroKid } from '../../functions/distrokid/fake.ts'
import { dailySeries, ledgerLines, ledgerTsv } from '../../functions/distrokid/fake-data.ts'
import { serveFake } from '../../lib/fakes/serve.ts'
import { createFakeSpotify, demoArtists } from '../../functions/spotify/fake.ts'
import { createFakeTooLost } from '../../functions/toolost/fake.ts'
import { makeSystem } from '../helpers.ts'
import { FUNCTIONS_DIR } from '../../lib/registry.ts'
import { loadDeclarations, type DemoFake } from '../../lib/source.ts'

const DAY = 86_400_000
const ZONE = '62owJQCD2XzVB2o19CVsFM'
const PIG = '1Eu67EqPy2NutiM0lqCarw'
const clock = new FakeClock()
const thisYear = `${new Date().getUTCFullYear()}-01-01`
const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10)

const spotify = createFakeSpotify({
  artists: demoArtists(),
  clock,
  logins: { 'zone@example.com': { password: 'fake-password-zone', artistIds: [ZONE] }, 'pig@example.com': { password: 'fake-password-pig', artistIds: [PIG] } },
})
const toolost = createFakeTooLost({
  spotify: dailySeries(thisYear, yesterday, 3, 500),
  apple: dailySeries(thisYear, yesterday, 4, 20),
  clock,
  account: { email: 'label@example.com', password: 'fake-password-tl' },
})
const distrokid = createFakeDistroKid({
  spotifyDaily: dailySeries('2025-04-01', '2025-04-10', 1),
  appleDaily: dailySeries('2025-04-01', '2025-04-10', 2, 100),
  ledgerTsv: ledgerTsv([...ledgerLines(5, 1)]),
  account: { email: 'label@example.test', password: 'fake-password-dk', otp: '424242' },
})

type Served = Awaited<ReturnType<typeof serveFake>>
let servers: Served[] = []
let sys: Awaited<ReturnType<typeof makeSystem>>
const BROWSER_LOGINS = ['distrokid', 'spotify', 'toolost']
/** API sources (a credential pasted into `npm run auth`): their fakes, logged in as their demo does. */
const apiSources: { fake: ReturnType<DemoFake['create']>; url: string }[] = []

beforeAll(async () => {
  const [sp, tl, dk] = await Promise.all([serveFake(spotify.app), serveFake(toolost.app), serveFake(distrokid.app)])
  servers = [sp, tl, dk]
  const env: Record<string, string> = {}
  for (const decl of await loadDeclarations(FUNCTIONS_DIR)) {
    if (BROWSER_LOGINS.includes(decl.name) || !decl.fake) continue
    const fake = (await decl.fake()).demo.create(new Date().toISOString().slice(0, 10))
    const server = await serveFake(fake.app)
    servers.push(server)
    for (const u of Object.values(decl.upstreams ?? {})) env[u.env] = server.url
    Object.assign(env, fake.env?.(server.url))
    apiSources.push({ fake, url: server.url })
  }
  sys = await makeSystem({
    ...env,
    SPOTIFY_ARTISTS_BASE_URL: sp.url,
    SPOTIFY_ARTISTS_APP_URL: sp.url,
    SPOTIFY_ACCOUNTS_URL: sp.url,
    SPOTIFY_API_BASE_URL: sp.url,
    TOOLOST_BASE_URL: tl.url,
    DISTROKID_BASE_URL: dk.url,
  })
  // Our side of "days later" runs on the same clock as the fakes.
  sys.services.credentials = new CredentialStore(sys.config.sessionsDir, () => clock.now(), sys.services.sources)
  for (const a of apiSources) await a.fake.logIn(sys.config.sessionsDir, a.url)
})
afterAll(async () => {
  await sys.close()
  for (const s of servers) await s.close()
})

const person =
  (fill: [string, string][], submit = 'button[type="submit"]') =>
  async (page: import('playwright').Page) => {
    for (const [sel, value] of fill) await page.fill(sel, value)
    await page.click(submit)
  }

describe('one login each, then runs with no person', () => {
  it('logs in once to every fake through its sign-in page', async () => {
    const opts = { headless: true, timeoutMs: 20_000 }
    const dk = await loginFlow(sys.services, 'distrokid', 'default', {
      ...opts,
      onPage: async (page) => {
        await person([
          ['input[type="email"]', 'label@example.test'],
          ['input[type="password"]', 'fake-password-dk'],
        ])(page)
        await person([['input[name="code"]', '424242']])(page)
      },
    })
    const zone = await loginFlow(sys.services, 'spotify', 'ZONE A0', {
      ...opts,
      onPage: person(
        [
          ['#login-username', 'zone@example.com'],
          ['#login-password', 'fake-password-zone'],
        ],
        '#login-button',
      ),
    })
    const pig = await loginFlow(sys.services, 'spotify', 'PIG1987', {
      ...opts,
      onPage: person(
        [
          ['#login-username', 'pig@example.com'],
          ['#login-password', 'fake-password-pig'],
        ],
        '#login-button',
      ),
    })
    const tl = await loginFlow(sys.services, 'toolost', 'default', {
      ...opts,
      onPage: person([
        ['input[type="email"]', 'label@example.com'],
        ['input[type="password"]', 'fake-password-tl'],
      ]),
    })
    expect([dk, zone, pig, tl].map((s) => s.status)).toEqual(['valid', 'valid', 'valid', 'valid'])
    // The sign-in page of the real host's shape: Spotify's login form with a way back to the app.
    expect(spotify.requests.some((r) => /^GET \/login\?continue=/.test(r))).toBe(true)
  }, 240_000)

  it('8 days later every short token has died, and the daily run is ok for every source without a person', async () => {
    clock.advance(8 * DAY)
    const runAt = clock.ms()
    const logins = () => [...spotify.requests, ...toolost.requests].filter((r) => r.startsWith('POST /login')).length
    const before = logins()
    const portal = () => toolost.requests.filter((r) => r.startsWith('GET /user-portal/')).length
    const portalBefore = portal()
    const reports = await sys.runner.runAll({ trigger: 'cron', mode: 'automated' })
    const every = Object.fromEntries([...sys.services.sources.keys()].map((s) => [s, 'ok']))
    expect(Object.fromEntries(reports.map((r) => [r.source, r.status])), reports.map((r) => `${r.source}: ${r.message}`).join('\n')).toEqual(every)
    expect(reports.find((r) => r.source === 'spotify')!.steps.extract!.message).toMatch(/^ZONE A0: 3 timeline files.*PIG1987: 3 timeline files/)
    // Renewed from the stored sessions: the app pages and the portal were opened, nobody signed in again.
    expect(logins()).toBe(before)
    for (const [source, account] of [
      ['spotify', 'ZONE A0'],
      ['spotify', 'PIG1987'],
      ['toolost', 'default'],
    ]) {
      const s = await sys.services.credentials.load(source, account)
      expect(Date.parse(s!.access!.renewedAt), `${source} ${account}`).toBeGreaterThanOrEqual(runAt)
      expect(Date.parse(s!.access!.expiresAt)).toBeGreaterThan(clock.ms())
      expect((await sys.services.credentials.status(source, account)).status).toBe('valid')
    }
    // The old tokens really are dead on the fakes' clocks: the renewed ones are what worked.
    expect(spotify.requests.filter((r) => r.startsWith('GET /c/artist/'))).toHaveLength(2)
    expect(portal() - portalBefore).toBe(1)
  }, 240_000)

  it('a second run the same day reuses the renewed tokens (no browser)', async () => {
    clock.advance(10 * 60_000)
    const pages = () =>
      spotify.requests.filter((r) => r.startsWith('GET /c/')).length + toolost.requests.filter((r) => r.startsWith('GET /user-portal/')).length
    const before = pages()
    const reports = await sys.runner.runAll({ trigger: 'cli', mode: 'automated' })
    expect(
      reports.every((r) => r.status === 'ok'),
      reports.map((r) => `${r.source}: ${r.status} ${r.message}`).join('\n'),
    ).toBe(true)
    expect(pages()).toBe(before)
  }, 240_000)

  it('past the login sessions themselves it is needs_auth with the command, and the session shows expired', async () => {
    clock.advance(23 * DAY) // 31 days after the logins: past the 30-day session of TooLost and Spotify's policy
    const reports = await sys.runner.runAll({ trigger: 'cron', mode: 'automated' })
    const byName = Object.fromEntries(reports.map((r) => [r.source, r]))
    expect(byName.toolost.status).toBe('needs_auth')
    expect(byName.toolost.message).toContain('npm run auth -- toolost')
    expect(byName.spotify.status).toBe('needs_auth')
    expect(byName.spotify.message).toContain("npm run auth -- spotify 'ZONE A0'")
    expect((await sys.services.credentials.status('toolost', 'default')).status).toBe('expired')
  }, 240_000)
})
