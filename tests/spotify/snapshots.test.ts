/**
 * What Spotify stages also reaches the warehouse: per-song totals over a time filter and the Web API
 * artist profiles load as snapshots, one row per curated row, and a second run changes nothing.
 */
import { afterEach, expect, it } from 'vitest'
import { createFakeSpotify, demoArtists, serveFake } from '../../functions/spotify/fake.ts'
import { readCsv } from '../../lib/lake/lines.ts'
import { makeSystem } from '../helpers.ts'

const ZONE = '62owJQCD2XzVB2o19CVsFM'
const PIG = '1Eu67EqPy2NutiM0lqCarw'
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

it('loads the per-song stats and artist profiles it curates', async () => {
  const fake = createFakeSpotify({ artists: demoArtists() })
  const server = await serveFake(fake.app)
  const sys = await makeSystem({
    SPOTIFY_ARTISTS_BASE_URL: server.url,
    SPOTIFY_API_BASE_URL: server.url,
    SPOTIFY_ARTISTS_APP_URL: server.url,
    SPOTIFY_ACCOUNTS_URL: server.url,
    SPOTIFY_API_TOKEN: fake.issueApiToken(),
  })
  cleanups.push(
    () => server.close(),
    () => sys.close(),
  )
  const sp_dc = {
    name: 'sp_dc',
    value: 'fake-sp-dc-snapshots',
    domain: '.spotify.com',
    path: '/',
    expires: Date.now() / 1000 + 86_400 * 300,
    httpOnly: true,
    secure: true,
    sameSite: 'Lax' as const,
  }
  await sys.services.credentials.save('spotify', 'ZONE A0', { token: fake.issueToken([ZONE]), storageState: { cookies: [sp_dc], origins: [] } })
  await sys.services.credentials.save('spotify', 'PIG1987', { token: fake.issueToken([PIG]), storageState: { cookies: [sp_dc], origins: [] } })
  const report = await sys.runner.run({ source: 'spotify', trigger: 'cli' })
  expect(report.status, report.message).toBe('ok')
  const csv = async (name: string) => {
    const out: Record<string, string>[] = []
    for await (const r of readCsv(`${sys.env.BEDROT_DATA_DIR}/4_curated/spotify/${name}`)) out.push(r)
    return out
  }
  const { db } = sys.services.wh
  const stats = await csv('spotify_song_stats_curated.csv')
  expect(stats.length).toBeGreaterThan(0)
  const loaded = await db.selectFrom('spotify_song_stats').selectAll().orderBy(['extraction_date', 'time_filter', 'artist', 'track_id']).execute()
  expect(loaded.map((r) => [r.track_id, r.streams])).toEqual(stats.map((r) => [r.track_id, r.streams === '' ? null : Number(r.streams)]))
  const profiles = await db.selectFrom('spotify_artist_profiles').selectAll().orderBy('artist').execute()
  expect(profiles.map((p) => p.artist)).toEqual(['PIG1987', 'ZONE A0'])
  expect(profiles.map((p) => p.followers)).toEqual(
    (await csv('spotify_artist_profile_curated.csv'))
      .sort((a, b) => a.artist.localeCompare(b.artist))
      .map((r) => (r.followers === '' ? null : Number(r.followers))),
  )
  const again = await sys.runner.run({ source: 'spotify', trigger: 'cli', skipExtract: true })
  expect(again.steps.load?.status).toBe('skipped')
})
