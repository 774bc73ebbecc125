/**
 * @module Fake Spotify (external_apis.md §1a–1b) for tests and the demo. S4A internal API: audience
 * timelines per metric with counts as strings, per-song stats and timelines, `time-filter` ranges, the
 * plain-text `Token expired` 401, and 403 for artists or song data a token may not see. The S4A web
 * pages: a login form and the 302-to-login a logged-out browser gets. The Web API artist endpoint, in
 * the full shape or the Development Mode shape (no followers/popularity since February 2026).
 * Access tokens die after about an hour and web sessions (the sp_dc login cookie) after `sessionTtlMs`,
 * both on the fake's own clock (`fake.clock.advance(ms)`); the sign-in and app pages are in spotify-web.ts.
 * Guesses no source records: the 403 body, and the app page keeping its access token in localStorage
 * under `accessToken` (where the extractor looks when a session has no token field).
 */
import { randomBytes } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { FakeClock } from '../../lib/clock.ts'
import type { DemoFake } from '../../lib/source.ts'
import { mountWebPages, spotifyDemoLogin } from './fake-web.ts'

export { serveFake } from '../../lib/fakes/serve.ts'

export type AudienceDay = { date: string; listeners: number; streams: number; followers: number }
export type SongDay = { date: string; streams: number }
export type FakeSong = { id: string; trackName: string; releaseDate: string; daily: SongDay[]; listeners?: number; saves?: number; isDisabled?: boolean }
/** `followers`/`popularity`/`genres` feed the Web API artist object. */
export type FakeArtist = { id: string; name: string; audience: AudienceDay[]; songs?: FakeSong[]; followers?: number; popularity?: number; genres?: string[] }
export type WebApiShape = 'full' | 'dev-mode'

export interface FakeSpotifyOptions {
  artists: FakeArtist[]
  webApiShape?: WebApiShape
  /** Web login accounts (username → password and the artists it manages). */
  logins?: Record<string, { password: string; artistIds: string[] }>
  clock?: FakeClock
  /** Life of a web session (the sp_dc login cookie); default 365 days, as sp_dc is set. */
  sessionTtlMs?: number
}

type Grant = { artistIds: string[]; songs: boolean; expired: boolean; expiresAt: number }

/** S4A access tokens live about an hour (external_apis.md §1b). */
export const TOKEN_TTL_MS = 3_600_000

export interface FakeSpotify {
  app: Hono
  clock: FakeClock
  /** An S4A access token for these artists, alive for an hour of the fake's clock; `songs: false` withholds per-song data (403). */
  issueToken(artistIds: string[], opts?: { songs?: boolean }): string
  /** A web login (what the sign-in form creates): the sp_dc cookie value; the app page mints tokens from it. */
  createSession(artistIds: string[], ttlMs?: number): { sp_dc: string; expiresAt: Date }
  /** Logged-in web sessions (sp_dc → artists, expiry on the fake's clock). */
  webSessions: Map<string, { artistIds: string[]; expiresAt: number }>
  sessionTtlMs: number
  logins: NonNullable<FakeSpotifyOptions['logins']>
  /** From now on that token gets the plain-text `Token expired` 401. */
  expireToken(token: string): void
  /** A Web API client-credentials token. */
  issueApiToken(): string
  expireApiToken(token: string): void
  /** Restates (or adds) one audience day, as S4A revises recent days. */
  setAudienceDay(artistId: string, day: AudienceDay): void
  /** Answers the next requests whose path matches with `respond` (drift, outages). */
  inject(path: RegExp, respond: (c: Context) => Response): void
  webApiShape: WebApiShape
  /** 'GET /s4x-insights-api/...?…' for assertions. */
  requests: string[]
}

const PERIOD_DAYS: Record<string, number> = { '1day': 1, '7day': 7, '28day': 28, '1year': 365, last5years: 1826 }
const DAY = 86_400_000
const ISO = /^\d{4}-\d{2}-\d{2}$/
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10)
const span = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY) + 1
const apiError = (status: number, message: string) => ({ error: { status, message } })
const newToken = (kind: string) => `fake-${kind}-token-${randomBytes(8).toString('hex')}`

export function createFakeSpotify(opts: FakeSpotifyOptions): FakeSpotify {
  const artists = new Map(opts.artists.map((a) => [a.id, { ...a, audience: [...a.audience] }]))
  const grants = new Map<string, Grant>()
  const apiTokens = new Map<string, boolean>() // token -> expired
  const clock = opts.clock ?? new FakeClock()
  const webSessions: FakeSpotify['webSessions'] = new Map()
  const injected: { path: RegExp; respond: (c: Context) => Response }[] = []
  const requests: string[] = []
  const app = new Hono()

  const fake: FakeSpotify = {
    app,
    clock,
    requests,
    webSessions,
    sessionTtlMs: opts.sessionTtlMs ?? 365 * DAY,
    logins: opts.logins ?? {},
    webApiShape: opts.webApiShape ?? 'full',
    issueToken(artistIds, o = {}) {
      const t = newToken('s4a')
      grants.set(t, { artistIds, songs: o.songs ?? true, expired: false, expiresAt: clock.ms() + TOKEN_TTL_MS })
      return t
    },
    createSession(artistIds, ttlMs = fake.sessionTtlMs) {
      const sp_dc = `fake-sp-dc-${randomBytes(12).toString('hex')}`
      const expiresAt = clock.ms() + ttlMs
      webSessions.set(sp_dc, { artistIds, expiresAt })
      return { sp_dc, expiresAt: new Date(expiresAt) }
    },
    expireToken(t) {
      const g = grants.get(t)
      if (g) g.expired = true
    },
    issueApiToken() {
      const t = newToken('webapi')
      apiTokens.set(t, false)
      return t
    },
    expireApiToken(t) {
      apiTokens.set(t, true)
    },
    setAudienceDay(artistId, day) {
      const a = artists.get(artistId)!
      a.audience = [...a.audience.filter((d) => d.date !== day.date), day]
    },
    inject(path, respond) {
      injected.push({ path, respond })
    },
  }

  app.use('*', async (c, next) => {
    const url = new URL(c.req.url)
    requests.push(`${c.req.method} ${url.pathname}${url.search}`)
    const i = injected.findIndex((x) => x.path.test(url.pathname))
    if (i >= 0) return injected.splice(i, 1)[0].respond(c)
    await next()
  })

  // ── S4A internal API ──
  const bearer = (c: Context) => /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
  const timeline = (points: { date: string; num: number }[]) => ({ timelinePoint: points.map((p) => ({ date: p.date, num: String(p.num) })) })

  app.use('/s4x-*', async (c, next) => {
    const t = bearer(c)
    if (!t) return c.json(apiError(401, 'No token provided'), 401)
    const g = grants.get(t)
    if (g && (g.expired || g.expiresAt <= clock.ms())) return c.text('Token expired', 401)
    if (!g) return c.json(apiError(401, 'Invalid access token'), 401)
    c.set('grant' as never, g as never)
    await next()
  })
  const grantOf = (c: Context) => c.get('grant' as never) as Grant

  /** The artist the token may see, and the requested date range ending at its newest day. */
  type Scope = { error: Response } | { a: FakeArtist; from: string; to: string }
  function scope(c: Context, needSongs = false): Scope {
    const a = artists.get(c.req.param('id') ?? '')
    const g = grantOf(c)
    if (!a || !g.artistIds.includes(a.id) || (needSongs && !g.songs)) return { error: c.json(apiError(403, 'Forbidden'), 403) }
    const latest = a.audience.reduce((m, d) => (d.date > m ? d.date : m), '0000-01-01')
    const filter = c.req.query('time-filter')
    if (filter === 'custom') {
      const from = c.req.query('start-date') ?? ''
      const to = c.req.query('end-date') ?? ''
      if (!ISO.test(from) || !ISO.test(to) || from > to || span(from, to) > 366) return { error: c.json(apiError(400, 'Invalid date range'), 400) }
      return { a, from, to }
    }
    if (filter === 'all' || filter === 'sincelaunch') return { a, from: '0000-01-01', to: latest }
    const days = filter ? PERIOD_DAYS[filter] : undefined
    if (!days) return { error: c.json(apiError(400, `Invalid time-filter: ${filter ?? '(none)'}`), 400) }
    return { a, from: addDays(latest, -(days - 1)), to: latest }
  }
  const within = (from: string, to: string) => (d: { date: string }) => d.date >= from && d.date <= to

  app.get('/s4x-insights-api/v1/artist/:id/audience/timeline/:metric/:id2', (c) => {
    const s = scope(c)
    if ('error' in s) return s.error
    const metric = c.req.param('metric')
    if (metric !== 'listeners' && metric !== 'streams' && metric !== 'followers') return c.json(apiError(404, 'Not found'), 404)
    const days = s.a.audience.filter(within(s.from, s.to)).sort((x, y) => (x.date < y.date ? -1 : 1))
    return c.json(timeline(days.map((d) => ({ date: d.date, num: d[metric] }))))
  })

  app.get('/s4x-insights-api/v2/artist/:id/recordings', (c) => {
    const s = scope(c, true)
    if ('error' in s) return s.error
    const recordingStats = (s.a.songs ?? []).map((song) => ({
      id: song.id,
      trackName: song.trackName,
      trackUri: `spotify:track:${song.id}`,
      releaseDate: song.releaseDate,
      imageUrl: 'https://i.scdn.co/image/fake',
      numStreams: String(song.daily.filter(within(s.from, s.to)).reduce((n, d) => n + d.streams, 0)),
      numListeners: String(song.listeners ?? 0),
      numSavers: String(song.saves ?? 0),
      numCanvasViews: '0',
      isDisabled: song.isDisabled ?? false,
    }))
    return c.json({ recordingStats })
  })

  app.get('/s4x-insights-api/v1/artist/:id/recording/:trackId/timeline/streams', (c) => {
    const s = scope(c, true)
    if ('error' in s) return s.error
    const song = s.a.songs?.find((x) => x.id === c.req.param('trackId'))
    if (!song) return c.json(apiError(404, 'Not found'), 404)
    return c.json(timeline(song.daily.filter(within(s.from, s.to)).map((d) => ({ date: d.date, num: d.streams }))))
  })

  mountWebPages(fake)

  // ── Web API ──
  app.get('/v1/artists/:id', (c) => {
    const t = bearer(c)
    if (!t || !apiTokens.has(t)) return c.json(apiError(401, 'Invalid access token'), 401)
    if (apiTokens.get(t)) return c.json(apiError(401, 'The access token expired'), 401)
    const a = artists.get(c.req.param('id'))
    if (!a) return c.json(apiError(404, 'Resource not found'), 404)
    const body: Record<string, unknown> = {
      external_urls: { spotify: `https://open.spotify.com/artist/${a.id}` },
      genres: a.genres ?? [],
      href: `https://api.spotify.com/v1/artists/${a.id}`,
      id: a.id,
      images: [{ url: 'https://i.scdn.co/image/fake', height: 640, width: 640 }],
      name: a.name,
      type: 'artist',
      uri: `spotify:artist:${a.id}`,
    }
    if (fake.webApiShape === 'full') {
      body.followers = { href: null, total: a.followers ?? 0 }
      body.popularity = a.popularity ?? 0
    }
    return c.json(body)
  })

  return fake
}

/** Daily audience with a deterministic, uneven shape; followers only grow. */
export function audienceSeries(from: string, days: number, base: { listeners: number; streams: number; followers: number }): AudienceDay[] {
  return Array.from({ length: days }, (_, i) => ({
    date: addDays(from, i),
    listeners: base.listeners + ((i * 13) % 17) * 3,
    streams: base.streams + ((i * 37) % 101) + (i % 7) * 5,
    followers: base.followers + i * 2 + (i % 3),
  }))
}

export function songDaily(from: string, days: number, base: number): SongDay[] {
  return Array.from({ length: days }, (_, i) => ({ date: addDays(from, i), streams: base + ((i * 29) % 23) }))
}

/** The two real artist ids with made-up numbers, ending at `end` (the tests use the default). */
export function demoArtists(end = '2025-05-31'): FakeArtist[] {
  const back = (days: number) => addDays(end, -(days - 1))
  const song = (id: string, trackName: string, releaseDate: string, days: number, base: number, listeners: number, saves: number): FakeSong => ({
    id,
    trackName,
    releaseDate,
    daily: songDaily(back(days), days, base),
    listeners,
    saves,
  })
  return [
    {
      id: '62owJQCD2XzVB2o19CVsFM',
      name: 'ZONE A0',
      audience: audienceSeries(back(31), 31, { listeners: 400, streams: 900, followers: 1500 }),
      songs: [
        song('0fakeTrackZoneA0Hold01', 'HOLD ON I', '2024-08-23', 12, 300, 210, 31),
        song('0fakeTrackZoneA0Luna02', 'LUNA', '2024-11-01', 12, 40, 30, 4),
        { id: '0fakeTrackZoneA0Gone03', trackName: 'TAKEN DOWN', releaseDate: '2024-01-01', daily: [], isDisabled: true },
      ],
      followers: 1562,
      popularity: 23,
      genres: ['hyperpop'],
    },
    {
      id: '1Eu67EqPy2NutiM0lqCarw',
      name: 'PIG1987',
      audience: audienceSeries(back(22), 22, { listeners: 150, streams: 320, followers: 700 }),
      songs: [song('0fakeTrackPig1987Perv1', 'PERVERSION', '2024-09-13', 7, 120, 90, 12)],
      followers: 742,
      popularity: 17,
    },
  ]
}

/** For `npm run demo`: data up to yesterday, both accounts logged in. */
export const demo: DemoFake = {
  create(today) {
    const fake = createFakeSpotify({ artists: demoArtists(addDays(today, -1)) })
    return {
      app: fake.app,
      logIn: (sessionsDir: string, url: string) => spotifyDemoLogin(fake, sessionsDir, url),
    }
  },
}
