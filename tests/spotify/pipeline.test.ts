/**
 * The Spotify chain against the fake over real HTTP: extract (per-account sessions) → clean → load,
 * then the KPIs through the app. Sessions are built here with obviously fake values.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { sha256File } from '../../lib/lake/hash.ts'
import { readCsv } from '../../lib/lake/lines.ts'
import { createFakeSpotify, demoArtists, serveFake, type FakeSpotify } from '../../functions/spotify/fake.ts'
import { makeSystem } from '../helpers.ts'

const ZONE = '62owJQCD2XzVB2o19CVsFM'
const PIG = '1Eu67EqPy2NutiM0lqCarw'
const DAY = 86_400_000
type System = Awaited<ReturnType<typeof makeSystem>>

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function setup(opts: { webApiShape?: 'full' | 'dev-mode' } = {}) {
  const fake = createFakeSpotify({ artists: demoArtists(), webApiShape: opts.webApiShape })
  const server = await serveFake(fake.app)
  const sys = await makeSystem({
    SPOTIFY_ARTISTS_BASE_URL: server.url,
    SPOTIFY_API_BASE_URL: server.url,
    SPOTIFY_ARTISTS_APP_URL: server.url,
    SPOTIFY_ACCOUNTS_URL: server.url,
  })
  cleanups.push(
    () => server.close(),
    () => sys.close(),
  )
  return { fake, sys }
}

/** A stored S4A session: the token field plus the sp_dc login cookie, captured `ageDays` ago. */
async function saveSession(sys: System, account: string, token: string, ageDays = 0) {
  const sp_dc = {
    name: 'sp_dc',
    value: `fake-sp-dc-${account.replace(/\W/g, '')}`,
    domain: '.spotify.com',
    path: '/',
    expires: Date.now() / 1000 + 365 * 86_400,
    httpOnly: true,
    secure: true,
    sameSite: 'Lax' as const,
  }
  await sys.services.credentials.save('spotify', account, { token, storageState: { cookies: [sp_dc], origins: [] } }, new Date(Date.now() - ageDays * DAY))
}

async function bothAccounts(sys: System, fake: FakeSpotify, songs = { zone: true, pig: true }) {
  await saveSession(sys, 'ZONE A0', fake.issueToken([ZONE], { songs: songs.zone }))
  await saveSession(sys, 'PIG1987', fake.issueToken([PIG], { songs: songs.pig }))
}

const curated = (sys: System, name: string) => path.join(sys.env.BEDROT_DATA_DIR, '4_curated/spotify', name)
async function rows(file: string) {
  const out: Record<string, string>[] = []
  for await (const r of readCsv(file)) out.push(r)
  return out
}
const run = (sys: System, window?: { from?: string; to?: string }) => sys.runner.run({ source: 'spotify', trigger: 'cli', window })
const kpi = async (sys: System, name: string, q = 'days=all') => (await sys.app.request(`/kpi/${name}?${q}`)).json() as Promise<any>
/** Landing names carry a one-second stamp: a later run must land under a later one. */
const nextSecond = () => new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)))

describe('Spotify for Artists pipeline against the fake', () => {
  it('extracts both artists, curates one row per date × artist and loads only the Spotify tables', async () => {
    const { fake, sys } = await setup()
    await bothAccounts(sys, fake)
    const report = await run(sys)
    expect(report.status, report.message).toBe('ok')
    expect(report.steps.extract!.message).toMatch(
      /^ZONE A0: 3 timeline files, 3 per-song files \(1 disabled songs skipped\); PIG1987: 3 timeline files, 2 per-song files; web API lookup off/,
    )

    const audience = await rows(curated(sys, 'spotify_audience_curated.csv'))
    expect(audience).toHaveLength(31 + 22)
    const zoneLast = demoArtists()[0].audience.at(-1)!
    expect(audience.find((r) => r.artist === 'ZONE A0' && r.date === '2025-05-31')).toMatchObject({
      artist_id: ZONE,
      listeners: String(zoneLast.listeners),
      streams: String(zoneLast.streams),
      followers: String(zoneLast.followers),
    })
    expect(new Set(audience.map((r) => r.artist))).toEqual(new Set(['ZONE A0', 'PIG1987']))

    const { db } = sys.services.wh
    const totals = await db
      .selectFrom('spotify_audience_daily')
      .select(['artist', (eb) => eb.fn.sum<number>('streams').as('s'), (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('artist')
      .orderBy('artist')
      .execute()
    const expected = demoArtists().map((a) => a.audience.reduce((s, d) => s + d.streams, 0))
    expect(totals.map((t) => [t.artist, Number(t.s), Number(t.n)])).toEqual([
      ['PIG1987', expected[1], 22],
      ['ZONE A0', expected[0], 31],
    ])

    const tracks = await db.selectFrom('spotify_track_daily').selectAll().orderBy('date').orderBy('track_id').execute()
    expect(tracks).toHaveLength(12 + 12 + 7)
    expect(new Set(tracks.map((t) => t.track_name))).toEqual(new Set(['HOLD ON I', 'LUNA', 'PERVERSION']))
    expect(tracks.every((t) => t.listeners === null && t.saves === null)).toBe(true)

    // The double-count rule: S4A streams never reach the distributor tables or the tidy file.
    expect(await db.selectFrom('streams_daily').selectAll().execute()).toEqual([])
    await expect(readFile(path.join(sys.env.BEDROT_DATA_DIR, '4_curated/tidy_daily_streams.csv'))).rejects.toThrow(/ENOENT/)
    expect((await kpi(sys, 'streams-total')).value).toBeNull()
    const streams = await kpi(sys, 'spotify-streams')
    expect(streams.value).toBe(expected[0] + expected[1])
    expect(streams.asOf).toBe('2025-05-31')
  })

  it('is idempotent on re-runs; a restated day wins while history outside a short window is kept', async () => {
    const { fake, sys } = await setup()
    await bothAccounts(sys, fake)
    expect((await run(sys)).status).toBe('ok')
    const file = curated(sys, 'spotify_audience_curated.csv')
    const before = await sha256File(file)

    await nextSecond()
    const again = await run(sys)
    expect(again.steps.clean!.status).toBe('skipped') // same bytes: the hash ledger skips them
    expect(again.steps.load!.status).toBe('skipped')
    expect(await sha256File(file)).toBe(before)

    fake.setAudienceDay(ZONE, { date: '2025-05-31', listeners: 999, streams: 4321, followers: 1600 })
    await nextSecond()
    const restated = await run(sys, { from: '2025-05-25', to: '2025-05-31' })
    expect(restated.status, restated.message).toBe('ok')
    expect(fake.requests).toContain(
      `GET /s4x-insights-api/v1/artist/${ZONE}/audience/timeline/listeners/${ZONE}?aggregation-level=recording&time-filter=custom&start-date=2025-05-25&end-date=2025-05-31`,
    )
    const audience = await rows(file)
    expect(audience).toHaveLength(53) // days before 2025-05-25 come from the first extract
    expect(audience.find((r) => r.artist === 'ZONE A0' && r.date === '2025-05-31')).toMatchObject({ listeners: '999', streams: '4321', followers: '1600' })
    // The replaced curated version is archived; rows whose values did not change stay untouched in the warehouse.
    expect(await readdir(path.join(sys.env.BEDROT_DATA_DIR, '5_archive/spotify'))).toContainEqual(expect.stringMatching(/_spotify_audience_curated\.csv$/))
    // One audience row changed; the short window's per-song totals are new snapshots of their own window.
    const windowStats = (
      sys.services.wh.sqlite.prepare(`select count(*) n from spotify_song_stats where time_filter like '%2025-05-25%'`).get() as { n: number }
    ).n
    expect(windowStats).toBeGreaterThan(0)
    expect(restated.steps.load!.rowsOut).toBe(1 + windowStats)
    const listeners = await kpi(sys, 'spotify-listeners')
    expect(listeners.breakdown.find((b: any) => b.key === 'ZONE A0')).toEqual({ key: 'ZONE A0', value: 999, date: '2025-05-31' })
  })

  it('skips an account whose session expired, names it with the login command, and extracts the other (expiring still works)', async () => {
    const { fake, sys } = await setup()
    await saveSession(sys, 'ZONE A0', fake.issueToken([ZONE]), 25) // 30-day policy, 7-day refresh window
    await saveSession(sys, 'PIG1987', fake.issueToken([PIG]), 40)
    const report = await run(sys)
    expect(report.status).toBe('ok')
    expect(report.steps.extract!.severity).toBe('low')
    expect(report.steps.extract!.message).toMatch(/^ZONE A0: 3 timeline files, .* \(session expiring in 4 days: run `npm run auth -- spotify 'ZONE A0'`\)/)
    expect(report.steps.extract!.message).toContain("PIG1987: skipped, session expired: log in again with `npm run auth -- spotify 'PIG1987'`")
    expect(fake.requests.some((r) => r.includes(PIG))).toBe(false)
    const artists = new Set((await rows(curated(sys, 'spotify_audience_curated.csv'))).map((r) => r.artist))
    expect(artists).toEqual(new Set(['ZONE A0']))
  })

  it('renews a refused token from the session; a session that no longer renews is needs_auth for that account only', async () => {
    const { fake, sys } = await setup()
    const zoneToken = fake.issueToken([ZONE])
    await saveSession(sys, 'ZONE A0', zoneToken)
    await saveSession(sys, 'PIG1987', fake.issueToken([PIG]))
    fake.expireToken(zoneToken)
    const partial = await run(sys)
    expect(partial.status).toBe('ok')
    // The token is refused; renewal opens the app with a login cookie the fake does not know: a sign-in page.
    expect(partial.steps.extract!.message).toMatch(
      /ZONE A0: audience timeline: spotify session ended \(.* asked to sign in again\): log in again with `npm run auth -- spotify 'ZONE A0'`/,
    )
    // Auth failures are never retried against the API.
    expect(fake.requests.filter((r) => r.startsWith('GET /s4x-') && r.includes(`/artist/${ZONE}/`))).toHaveLength(1)
    expect((await sys.services.credentials.status('spotify', 'ZONE A0')).status).toBe('expired')

    // A new login whose token is refused again, and no other account: the extract itself is needs_auth.
    const zone2 = fake.issueToken([ZONE])
    await saveSession(sys, 'ZONE A0', zone2)
    fake.expireToken(zone2)
    await sys.services.credentials.remove('spotify', 'PIG1987')
    const none = await run(sys)
    expect(none.status).toBe('needs_auth')
    expect(none.steps.extract!.status).toBe('needs_auth')
    expect(none.steps.clean).toBeUndefined()
    expect(none.message).toContain("PIG1987: skipped, session missing: log in again with `npm run auth -- spotify 'PIG1987'`")

    await sys.services.credentials.remove('spotify', 'ZONE A0')
    const blocked = await run(sys)
    expect(blocked.status).toBe('needs_auth')
    expect(blocked.steps).toEqual({})
  }, 180_000)

  it('keeps the audience when a session may not see per-song data, and reports drift without losing the other artist', async () => {
    const { fake, sys } = await setup()
    await bothAccounts(sys, fake, { zone: true, pig: false })
    fake.inject(new RegExp(`/artist/${ZONE}/audience/timeline/streams/`), (c) => c.json({ timeline: [] }))
    const report = await run(sys)
    expect(report.status).toBe('failed')
    expect(report.steps.extract).toMatchObject({ status: 'failed', severity: 'medium' })
    expect(report.steps.extract!.message).toMatch(/ZONE A0: audience timeline: unexpected payload .*timelinePoint/)
    expect(report.steps.extract!.message).toMatch(/PIG1987: 3 timeline files, per-song metrics not available to this session \(session rejected with HTTP 403/)
    expect(report.steps.load!.status).toBe('ok')
    const audience = await rows(curated(sys, 'spotify_audience_curated.csv'))
    // ZONE A0's listeners file landed before the broken streams answer; PIG1987 is complete.
    expect(audience.filter((r) => r.artist === 'PIG1987')).toHaveLength(22)
    expect(audience.filter((r) => r.artist === 'ZONE A0').every((r) => r.streams === '' && r.followers === '' && r.listeners !== '')).toBe(true)
    const tracks = await sys.services.wh.db.selectFrom('spotify_track_daily').select('artist').distinct().execute()
    expect(tracks).toEqual([])
  })

  it('records Web API followers/popularity when present, null (never 0) in Development Mode, and never fails on the lookup', async () => {
    const { fake, sys } = await setup()
    await bothAccounts(sys, fake)
    const apiToken = fake.issueApiToken()
    await sys.services.credentials.save('spotify-api', 'default', { token: apiToken })
    expect((await run(sys)).steps.extract!.message).toContain('web API: 2 artist profiles')
    fake.webApiShape = 'dev-mode'
    await nextSecond()
    const dev = await run(sys)
    expect(dev.status).toBe('ok')
    const profiles = await rows(curated(sys, 'spotify_artist_profile_curated.csv'))
    expect(profiles.map((p) => [p.artist, p.followers, p.popularity])).toEqual([
      ['PIG1987', '742', '17'],
      ['ZONE A0', '1562', '23'],
      ['PIG1987', '', ''],
      ['ZONE A0', '', ''],
    ])
    fake.expireApiToken(apiToken)
    await nextSecond()
    const expired = await run(sys)
    expect(expired.status).toBe('ok')
    expect(expired.steps.extract!.message).toMatch(/web API lookup skipped: session rejected with HTTP 401/)
  })
})
