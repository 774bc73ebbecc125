/**
 * @module Fake TooLost (external_apis.md §5, seed_pipeline.md §3.1, fixtures/real/README.md §3) for tests
 * and the demo. The portal keeps a JWT in localStorage and its SPA calls two analytics endpoints:
 *   GET /api/portal/analytics/spotify?release=&date=thisYear    {streams[{date, streams:"123"}], discovery[]}
 *   GET /api/portal/analytics/apple/?release=&date=thisYear     {totalStreams[{date, streams:12}], totalShazam,
 *                                                                tracksTotal, countryTotal, streamTotal}
 * Faithful where it matters: counts are strings for Spotify (and Shazam) and integers for Apple, arrays
 * come in no particular order, days without data are absent (never 0), `thisYear` means 1 January of
 * the fake's clock up to its today. Assumed where nothing is known (marked in external_apis.md §11):
 * the JWT travels as `Authorization: Bearer`, an expired or unknown JWT gets 401, a request with no JWT
 * at all gets the portal's 302 to /login. The signature is not checked; `exp` is. The sign-in form sets
 * a month-long `toolost_session` cookie (assumed: Laravel's default name for an app called TooLost) and
 * a 7-day JWT; a portal page opened with a live session cookie hands the SPA a fresh JWT, a dead one is
 * sent to /login. Both lives run on the fake's clock (`fake.clock.advance(ms)`).
 */
import { createHash, randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { FakeClock } from '../../lib/clock.ts'

export { serveFake } from '../../lib/fakes/serve.ts'

export interface DailyPoint {
  date: string
  streams: number
}
export interface DiscoveryPoint {
  date: string
  streams: number
  /** USD decimal text, e.g. '2.93076245'. */
  fees: string
}
export interface TrackTotal {
  isrc: string
  track: string
  release: string
  streams: number
}

export interface FakeTooLostOptions {
  /** Daily Spotify streams over any span; each request serves the current year's part up to today. */
  spotify: DailyPoint[]
  apple: DailyPoint[]
  discovery?: DiscoveryPoint[]
  shazam?: DailyPoint[]
  /** Served as given (totals over the window); countries are derived from `countries`. */
  tracks?: TrackTotal[]
  countries?: { country: string; streams: number }[]
  /** The fake's clock (default: real time). */
  now?: Date
  /** Login form credentials; without them every login fails. */
  account?: { email: string; password: string }
  clock?: FakeClock
}

/** One scripted answer that replaces the normal response of the next request to an endpoint. */
export type Fault = { status: 429; retryAfter?: string } | { status: 500 | 502 | 503 } | { kind: 'malformed' } | { kind: 'login-redirect' }

export type Endpoint = 'spotify' | 'apple'

export interface FakeTooLost {
  app: Hono
  /** 'GET /api/portal/analytics/spotify?release=&date=thisYear' etc., for assertions. */
  requests: string[]
  /** Authorization and Cookie headers the analytics endpoints received, in order. */
  authorizations: (string | null)[]
  cookies: (string | null)[]
  clock: FakeClock
  /** A web login as the sign-in form makes it: the session cookie value and its end (fake clock). */
  createSession(ttlMs?: number): { cookie: string; expiresAt: Date }
  /** A JWT for the SPA, alive for 7 days of the fake's clock. */
  issueJwt(): string
  setNow(now: Date): void
  setDaily(endpoint: Endpoint, points: DailyPoint[]): void
  /** The next requests to `endpoint` get these answers, in order, before normal service resumes. */
  fail(endpoint: Endpoint, ...faults: Fault[]): void
}

const DAY_S = 86_400
/** The portal's login session (assumed a month) and its JWT (7 days, external_apis.md §5). */
export const SESSION_TTL_MS = 30 * DAY_S * 1000
export const JWT_TTL_MS = 7 * DAY_S * 1000

/** A JWT shaped like the portal's (alg none, `exp` claim, fake signature): for tests and the fake login. */
export function fakeJwt(exp: Date): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64url')
  return `${b64('{"alg":"none"}')}.${b64(JSON.stringify({ exp: Math.floor(exp.getTime() / 1000) }))}.fake-signature`
}

function jwtExp(token: string): number | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  try {
    const exp = (JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown }).exp
    return typeof exp === 'number' ? exp : null
  } catch {
    return null
  }
}

/**
 * The real arrays are unordered, and their order is nothing to rely on: shuffle by a hash seeded with
 * the fake's today, so the same day answers the same bytes and another day another order.
 */
function unordered<T extends { date: string }>(points: T[], seed: string): T[] {
  const rank = (d: string) => createHash('sha1').update(`${seed}|${d}`).digest().readUInt32BE(0)
  return [...points].sort((a, b) => rank(a.date) - rank(b.date) || a.date.localeCompare(b.date))
}

export function createFakeTooLost(opts: FakeTooLostOptions): FakeTooLost {
  let now = opts.now ?? null
  const fakeClock = opts.clock ?? new FakeClock(() => (now ?? new Date()).getTime())
  const clock = () => fakeClock.now()
  const sessions = new Map<string, number>() // toolost_session → expiry (ms, fake clock)
  const createSession = (ttlMs = SESSION_TTL_MS) => {
    const cookie = `fake-toolost-session-${randomBytes(12).toString('hex')}`
    sessions.set(cookie, fakeClock.ms() + ttlMs)
    return { cookie, expiresAt: new Date(fakeClock.ms() + ttlMs) }
  }
  const issueJwt = () => fakeJwt(new Date(fakeClock.ms() + JWT_TTL_MS))
  const liveSession = (c: Context) => (sessions.get(getCookie(c, 'toolost_session') ?? '') ?? 0) > fakeClock.ms()
  const daily: Record<Endpoint, DailyPoint[]> = { spotify: [...opts.spotify], apple: [...opts.apple] }
  const faults: Record<Endpoint, Fault[]> = { spotify: [], apple: [] }
  const requests: string[] = []
  const authorizations: (string | null)[] = []
  const cookies: (string | null)[] = []

  const thisYear = <T extends { date: string }>(points: T[]) => {
    const today = clock().toISOString().slice(0, 10)
    const jan1 = `${today.slice(0, 4)}-01-01`
    return unordered(
      points.filter((p) => p.date >= jan1 && p.date <= today),
      today,
    )
  }

  const spotifyPayload = () => ({
    streams: thisYear(daily.spotify).map((p) => ({ date: p.date, streams: String(p.streams) })),
    discovery: thisYear(opts.discovery ?? []).map((p) => ({ date: p.date, streams: String(p.streams), fees: p.fees })),
  })
  const applePayload = () => {
    const days = thisYear(daily.apple)
    return {
      totalStreams: days.map((p) => ({ date: p.date, streams: p.streams })),
      totalShazam: thisYear(opts.shazam ?? []).map((p) => ({ date: p.date, streams: String(p.streams) })),
      tracksTotal: (opts.tracks ?? []).map((t) => ({ ...t, cover: `https://fake-cdn.invalid/${t.isrc}.jpg` })),
      countryTotal: [...(opts.countries ?? [])].sort((a, b) => b.streams - a.streams),
      streamTotal: days.reduce((s, p) => s + p.streams, 0),
    }
  }

  const app = new Hono()
  app.use('*', async (c, next) => {
    const url = new URL(c.req.url)
    requests.push(`${c.req.method} ${url.pathname}${url.search}`)
    await next()
  })

  const analytics = (endpoint: Endpoint, payload: () => unknown) => (c: Context) => {
    const auth = c.req.header('authorization') ?? null
    authorizations.push(auth)
    cookies.push(c.req.header('cookie') ?? null)
    const fault = faults[endpoint].shift()
    if (fault) return answerFault(c, fault)
    const bearer = auth?.match(/^Bearer (\S+)$/)?.[1]
    if (!bearer) return c.redirect('/login', 302)
    const exp = jwtExp(bearer)
    if (exp === null) return c.json({ message: 'Unauthenticated.' }, 401)
    if (exp * 1000 <= clock().getTime()) return c.json({ message: 'Token has expired' }, 401)
    if (c.req.query('date') !== 'thisYear') return c.json({ message: 'The selected date is invalid.' }, 422)
    return c.json(payload())
  }
  app.get('/api/portal/analytics/spotify', analytics('spotify', spotifyPayload))
  // Only with the trailing slash, as the portal calls it; without it the route does not exist.
  app.get('/api/portal/analytics/apple/', analytics('apple', applePayload))

  app.get('/login', (c) => c.html(loginPage()))
  app.post('/login', async (c) => {
    const body = await c.req.parseBody()
    const acc = opts.account
    if (!acc || body.email !== acc.email || body.password !== acc.password) return c.html(loginPage('Invalid credentials'), 422)
    // The SPA keeps the JWT in localStorage; this page plays that part, then opens the portal.
    const { cookie } = createSession()
    c.header('Set-Cookie', `toolost_session=${cookie}; Path=/; Max-Age=${SESSION_TTL_MS / 1000}; HttpOnly; SameSite=Lax`)
    const script = `localStorage.setItem('token', ${JSON.stringify(issueJwt())});location.replace('/user-portal/analytics/platform')`
    return c.html(`<!doctype html><script>${script}</script>`)
  })
  // The portal with a live login session refreshes the SPA's JWT; without one it is a sign-in redirect.
  app.get('/user-portal/*', (c) => {
    if (!liveSession(c)) return c.redirect('/login', 302)
    return c.html(
      `<!doctype html><title>TooLost</title><script>localStorage.setItem('token', ${JSON.stringify(issueJwt())})</script>` +
        `<aside class="ant-layout-sider"></aside><main class="analytics">Analytics</main>`,
    )
  })
  app.notFound((c) => c.json({ message: 'Not Found' }, 404))

  return {
    app,
    requests,
    authorizations,
    cookies,
    clock: fakeClock,
    createSession,
    issueJwt,
    setNow: (d) => void (now = d),
    setDaily: (endpoint, points) => void (daily[endpoint] = [...points]),
    fail: (endpoint, ...f) => void faults[endpoint].push(...f),
  }
}

function answerFault(c: Context, fault: Fault) {
  if ('kind' in fault) {
    if (fault.kind === 'login-redirect') return c.redirect('/login', 302)
    // Cut off mid-body, the way a dropped proxy connection leaves it.
    return c.body('{"streams":[{"date":"2025-01-0', 200, { 'Content-Type': 'application/json' })
  }
  if (fault.status === 429) {
    if (fault.retryAfter !== undefined) c.header('Retry-After', fault.retryAfter)
    return c.json({ message: 'Too Many Attempts.' }, 429)
  }
  return c.json({ message: 'Server Error' }, fault.status)
}

function loginPage(error?: string): string {
  return `<!doctype html><title>Login | TooLost</title>
<form method="post" action="/login">${error ? `<p class="error">${error}</p>` : ''}
<input type="email" name="email"><input type="password" name="password"><button type="submit">Login</button></form>`
}
export { demo } from './fake-demo.ts'
