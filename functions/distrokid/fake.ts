/**
 * @module Fake DistroKid (external_apis.md §4, seed_pipeline.md §3.2) for tests and the demo:
 * cookie session with optional 2FA, the two stats pages with their embedded chart data, and the
 * bank-details TSV download. Logged-out requests get the 302-to-sign-in an expired session gets.
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { applePage, bankDetailsPage, bankPage, dashboardPage, notFoundPage, signinPage, streamsPage, twoFactorPage } from './fake-pages.ts'

export { serveFake } from '../../lib/fakes/serve.ts'

export interface DailyPoint {
  date: string
  streams: number
}

export interface FakeDistroKidOptions {
  /** Becomes trend365day; trend60day, trendWeekly and trendMonthly are derived from it. */
  spotifyDaily: DailyPoint[]
  /** Becomes chartData.last365days; byMonth, byWeek and the demographic blocks derive from it. */
  appleDaily: DailyPoint[]
  /** Served as given by the bank-details download. */
  ledgerTsv: string
  /** Login form credentials; with `otp` a 2FA step follows. Without it every login fails. */
  account?: { email: string; password: string; otp?: string }
  /** Max-Age of the session cookie set on login (default 90). */
  sessionMaxAgeDays?: number
  /** Serve the stats pages with CRLF line endings, like the real 20250529 files. */
  crlf?: boolean
}

export interface FakeDistroKid {
  app: Hono
  /** Creates a valid session id (value of cookie `dk_session`) without the login form. */
  issueSession(): string
  /** That session now gets the sign-in redirect, like an expired DistroKid session. */
  expireSession(id: string): void
  /** 'GET /stats/?type=all&data=streams' etc., for assertions. */
  requests: string[]
}

const SESSION_COOKIE = 'dk_session'
const PENDING_COOKIE = 'dk_2fa'
const DAY_S = 86_400
const COOKIE_ATTRS = 'Path=/; HttpOnly; SameSite=Lax'
// Pages a logged-out browser cannot see; the real site bounces all of these to the sign-in page.
const GUARDED = ['/stats', '/bank', '/dashboard', '/mymusic']
const BAD_LOGIN = 'The email or password you entered is incorrect.'
const BAD_CODE = 'That code is incorrect or has expired. Please try again.'

const newId = () => randomBytes(16).toString('hex')
const field = (body: Record<string, unknown>, name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '')
const byDate = (ps: DailyPoint[]) => [...ps].sort((a, b) => a.date.localeCompare(b.date))

/** 'dk_bank_details_<YYYYMMDD_HHMMSS>.tsv' in UTC, the name real downloads carry. */
function ledgerFileName(now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '_')
  return `dk_bank_details_${stamp}.tsv`
}

export function createFakeDistroKid(opts: FakeDistroKidOptions): FakeDistroKid {
  const maxAge = Math.round((opts.sessionMaxAgeDays ?? 90) * DAY_S)
  const sessions = new Map<string, number>() // id -> expiry (epoch ms)
  const pending = new Map<string, number>() // password accepted, 2FA code still owed
  const requests: string[] = []
  // Sorted once: the real pages always list points in date order, whatever order the test passes.
  const spotify = byDate(opts.spotifyDaily)
  const apple = byDate(opts.appleDaily)
  const eol = (html: string) => (opts.crlf ? html.replace(/\r?\n/g, '\r\n') : html)

  const issueSession = () => {
    const id = newId()
    sessions.set(id, Date.now() + maxAge * 1000)
    return id
  }
  const validSession = (c: Context) => {
    const id = getCookie(c, SESSION_COOKIE)
    const expiry = id === undefined ? undefined : sessions.get(id)
    return expiry !== undefined && expiry > Date.now()
  }
  // By hand: hono's setCookie refuses Max-Age over 400 days, and tests may want odd lifetimes.
  const startSession = (c: Context) => {
    const cookie = `${SESSION_COOKIE}=${issueSession()}; Max-Age=${maxAge}; ${COOKIE_ATTRS}`
    c.header('Set-Cookie', cookie, { append: true })
    return c.redirect('/dashboard', 302)
  }

  const app = new Hono()

  app.use('*', async (c, next) => {
    const url = new URL(c.req.url)
    requests.push(`${c.req.method} ${url.pathname}${url.search}`)
    const guarded = GUARDED.some((p) => url.pathname === p || url.pathname.startsWith(`${p}/`))
    if (guarded && !validSession(c)) {
      return c.redirect(`/signin?redirect=${encodeURIComponent(url.pathname + url.search)}`, 302)
    }
    await next()
  })

  const signinPaths = ['/signin', '/signin/', '/login', '/login/']
  app.on('GET', signinPaths, (c) => (validSession(c) ? c.redirect('/dashboard', 302) : c.html(signinPage())))
  app.on('POST', signinPaths, async (c) => {
    const body = await c.req.parseBody()
    const acc = opts.account
    // Real sites answer a bad password with the form again and status 200, not 401.
    if (!acc || field(body, 'email') !== acc.email || field(body, 'password') !== acc.password) {
      return c.html(signinPage(BAD_LOGIN))
    }
    if (acc.otp === undefined) return startSession(c)
    const token = newId()
    pending.set(token, Date.now() + 10 * 60_000)
    c.header('Set-Cookie', `${PENDING_COOKIE}=${token}; Max-Age=600; ${COOKIE_ATTRS}`)
    return c.redirect('/signin/2fa', 302)
  })

  const pendingToken = (c: Context) => {
    const token = getCookie(c, PENDING_COOKIE)
    const expiry = token === undefined ? undefined : pending.get(token)
    return expiry !== undefined && expiry > Date.now() ? token : undefined
  }
  app.get('/signin/2fa', (c) => (pendingToken(c) ? c.html(twoFactorPage()) : c.redirect('/signin', 302)))
  app.post('/signin/2fa', async (c) => {
    const token = pendingToken(c)
    if (!token) return c.redirect('/signin', 302)
    const body = await c.req.parseBody()
    if (field(body, 'code').trim() !== opts.account?.otp) return c.html(twoFactorPage(BAD_CODE))
    pending.delete(token)
    c.header('Set-Cookie', `${PENDING_COOKIE}=; Max-Age=0; ${COOKIE_ATTRS}`, { append: true })
    return startSession(c)
  })

  app.on('GET', ['/dashboard', '/dashboard/', '/mymusic', '/mymusic/'], (c) => c.html(dashboardPage()))

  app.on('GET', ['/stats', '/stats/'], (c) => {
    // `type=all` (all artists) is what the pipeline asks for; the fake only has that combined view.
    const data = c.req.query('data') ?? 'streams'
    if (data === 'streams') return c.html(eol(streamsPage(spotify)))
    if (data === 'applemusic') return c.html(eol(applePage(apple)))
    return c.html(notFoundPage(), 404)
  })

  app.on('GET', ['/bank', '/bank/'], (c) => c.html(bankPage()))
  app.on('GET', ['/bank/details', '/bank/details/'], (c) => c.html(bankDetailsPage()))
  app.get('/bank/details/download', (c) => {
    c.header('Content-Type', 'text/tab-separated-values')
    c.header('Content-Disposition', `attachment; filename="${ledgerFileName(new Date())}"`)
    return c.body(opts.ledgerTsv)
  })

  app.notFound((c) => c.html(notFoundPage(), 404))

  return {
    app,
    issueSession,
    expireSession: (id) => void sessions.delete(id),
    requests,
  }
}
export { demo } from './fake-demo.ts'
