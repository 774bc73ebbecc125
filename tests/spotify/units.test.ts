import { describe, expect, it } from 'vitest'
import { artistFromName as fromName, spotifyArtists } from '../../functions/spotify/artists.ts'
import spotify from '../../functions/spotify/source.ts'
import { resolveSources } from '../../lib/source.ts'
import { sessionToken } from '../../functions/spotify/extract.ts'
import { count, landingNames, nameParts, timeRanges } from '../../functions/spotify/s4a.ts'
import { artistProfile, ArtistObject } from '../../functions/spotify/web-api.ts'

const ARTISTS = spotifyArtists(resolveSources({}, [spotify]))
const artistFromName = (name: string) => fromName(name, ARTISTS)

describe('S4A helpers', () => {
  it('reads counts as S4A sends them and rejects anything else', () => {
    expect(['1234', '1,234', '12 345', 7, '0'].map(count)).toEqual([1234, 1234, 12345, 7, 0])
    expect(['', 'n/a', '-5', '1.5', -1, 2.5, null, undefined].map(count)).toEqual([null, null, null, null, null, null, null, null])
  })

  it('asks for the last 12 months by default and cuts a backfill into ranges of at most 366 days', () => {
    expect(timeRanges({}, '2025-06-01')).toEqual([{ filter: '1year', label: '1year', query: 'time-filter=1year' }])
    const r = timeRanges({ from: '2024-01-01', to: '2025-03-01' }, '2025-06-01')
    expect(r.map((x) => x.label)).toEqual(['2024-01-01_2024-12-31', '2025-01-01_2025-03-01'])
    expect(r[0].query).toBe('time-filter=custom&start-date=2024-01-01&end-date=2024-12-31')
    expect(timeRanges({ from: '2025-05-25' }, '2025-06-01').map((x) => x.label)).toEqual(['2025-05-25_2025-06-01'])
    expect(timeRanges({ to: '2025-05-31' }, '2025-06-01').map((x) => x.label)).toEqual(['2024-05-31_2025-05-31'])
  })

  it('tells artist, metric, track and range from landing names, and refuses to guess', () => {
    const r = timeRanges({}, '2025-06-01')[0]
    const tl = `20250601_060000_${landingNames.timeline('1Eu67EqPy2NutiM0lqCarw', 'followers', r)}`
    expect([artistFromName(tl)?.name, nameParts.metric(tl), nameParts.range(tl)]).toEqual(['PIG1987', 'followers', '1year'])
    const song = landingNames.songTimeline('62owJQCD2XzVB2o19CVsFM', '0fakeTrackZoneA0Hold01', timeRanges({ from: '2025-05-01', to: '2025-05-31' }, '')[0])
    expect([artistFromName(song)?.name, nameParts.track(song), nameParts.range(song)]).toEqual(['ZONE A0', '0fakeTrackZoneA0Hold01', '2025-05-01_2025-05-31'])
    expect(['spotify_audience_zone_a0.csv', 'zone.a0-audience.csv', 'x_PIG1987_y.csv'].map((n) => artistFromName(n)?.name)).toEqual([
      'ZONE A0',
      'ZONE A0',
      'PIG1987',
    ])
    // The original mapped these to ZONE A0; here they are nobody's.
    expect(['spotify_audience_20250616_120000.csv', 'spotify_audience_7abcdefghijklmnopqrstu.csv', 'pig19870.csv'].map(artistFromName)).toEqual([
      null,
      null,
      null,
    ])
  })

  it('takes its artists from configuration: the declared defaults, or BEDROT_SPOTIFY_ACCOUNTS', () => {
    expect(ARTISTS.map((a) => [a.account, a.name])).toEqual([
      ['ZONE A0', 'ZONE A0'],
      ['PIG1987', 'PIG1987'],
    ])
    const added = spotifyArtists(resolveSources({ BEDROT_SPOTIFY_ACCOUNTS: 'ZONE A0=62owJQCD2XzVB2o19CVsFM, new_artist=0123456789abcdefghijkl' }, [spotify]))
    expect(added.map((a) => [a.account, a.id, a.name])).toEqual([
      ['ZONE A0', '62owJQCD2XzVB2o19CVsFM', 'ZONE A0'],
      ['new_artist', '0123456789abcdefghijkl', 'NEW_ARTIST'],
    ])
    expect(() => resolveSources({ BEDROT_SPOTIFY_ACCOUNTS: ' , ' }, [spotify])).toThrow(/BEDROT_SPOTIFY_ACCOUNTS/)
  })

  it('finds the S4A token in the session: the token field first, else the page storage', () => {
    const base = { source: 'spotify', account: 'ZONE A0', capturedAt: '2025-06-01T00:00:00Z' }
    const stored = (name: string, value: string) => ({ cookies: [], origins: [{ origin: 'https://artists.spotify.com', localStorage: [{ name, value }] }] })
    expect(sessionToken({ ...base, token: 'fake-session-123', storageState: stored('accessToken', 'fake-other-token-456') })).toBe('fake-session-123')
    expect(sessionToken({ ...base, storageState: stored('accessToken', 'fake-other-token-456') })).toBe('fake-other-token-456')
    expect(sessionToken({ ...base, storageState: stored('theme', 'dark-mode-preference') })).toBeNull()
    expect(sessionToken(null)).toBeNull()
  })

  it('keeps absent Web API followers/popularity as null, never 0', () => {
    const dev = ArtistObject.parse({ id: '62owJQCD2XzVB2o19CVsFM', name: 'ZONE A0', type: 'artist', genres: [] })
    expect(artistProfile(dev)).toEqual({ artist_id: '62owJQCD2XzVB2o19CVsFM', name: 'ZONE A0', followers: null, popularity: null, genres: '' })
    const full = ArtistObject.parse({ id: 'x', name: 'y', followers: { href: null, total: 0 }, popularity: 0, genres: ['a', 'b'] })
    expect(artistProfile(full)).toMatchObject({ followers: 0, popularity: 0, genres: 'a|b' })
  })
})
