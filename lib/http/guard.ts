/**
 * @module What keeps the HTTP routes to the label alone (issue 8): a Host allow-list (a rebound
 * hostname such as `evil.example` pointing at 127.0.0.1 is refused), Origin checks for anything a
 * browser sends (Hono `csrf`: a foreign page's form post is refused), and a bearer token compared in
 * constant time (Hono `bearerAuth`) on every state-changing route, and on every data route when the
 * server listens beyond loopback.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { csrf } from 'hono/csrf'
import { AppError, type ErrorCode } from '../errors.ts'

const safe = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS'

// Every request of a client carries the same Host header: its host name is worked out once.
let lastRaw: string | undefined
let lastHost = ''

/** The host name a request was addressed to, lower case, without port; IPv6 keeps its brackets. */
export function requestHost(c: Context): string {
  const raw = c.req.header('host') ?? new URL(c.req.url).host
  if (raw === lastRaw) return lastHost
  const host = raw.trim().toLowerCase()
  lastHost = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '')
  lastRaw = raw
  return lastHost
}

function deny(c: Context, status: 401 | 403, code: ErrorCode, message: string) {
  return c.json(new AppError(code, message).toJSON(), status)
}

/**
 * Every request passes the guards in this order: the Host allow-list, then (on anything but GET, HEAD
 * and OPTIONS) the origin check, then the API token where it is needed. One middleware rather than
 * three: on a GET from loopback all there is to do is a Host lookup, and that is all it costs.
 */
export function guards(o: { allowedHosts: string[]; token: string; everyRoute: boolean }): MiddlewareHandler {
  const allowed = new Set(o.allowedHosts)
  const origin = originGuard(o.allowedHosts)
  const check = tokenCheck(o.token)
  const auth: MiddlewareHandler = (c, next) => (!safe(c.req.method) || (o.everyRoute && !PUBLIC.test(c.req.path)) ? check(c, next) : next())
  return async (c, next) => {
    const host = requestHost(c)
    if (!allowed.has(host)) return deny(c, 403, 'ForbiddenHost', `requests for host '${host}' are not served (allowed: ${o.allowedHosts.join(', ')})`)
    if (safe(c.req.method)) return auth(c, next)
    // A refusal by the token check is thrown (HTTPException), as from its own middleware.
    return origin(c, async () => {
      await auth(c, next)
    })
  }
}

/**
 * Hono's csrf for requests that come from a browser (they carry Origin or Sec-Fetch-Site): the origin
 * must be this server's own. Requests without either (curl, the CLIs) are not a browser's and are
 * left to the token. Unlike csrf alone, a foreign Origin is refused whatever the content type.
 */
export function originGuard(allowed: string[]): MiddlewareHandler {
  const set = new Set(allowed)
  const sameOrigin = (origin: string, c: Context) => {
    try {
      const o = new URL(origin)
      return o.origin === new URL(c.req.url).origin && set.has(o.hostname.toLowerCase())
    } catch {
      return false
    }
  }
  const forms = csrf({ origin: sameOrigin, secFetchSite: ['same-origin'] })
  return async (c, next) => {
    if (safe(c.req.method)) return next()
    const origin = c.req.header('origin')
    const site = c.req.header('sec-fetch-site')
    if (origin === undefined && site === undefined) return next()
    if ((origin !== undefined && !sameOrigin(origin, c)) || (site !== undefined && site !== 'same-origin')) {
      return deny(c, 403, 'ForbiddenOrigin', `cross-site request refused (Origin ${origin ?? 'none'}, Sec-Fetch-Site ${site ?? 'none'})`)
    }
    return forms(c, next)
  }
}

/** Paths that hold no data: the page shell and its assets, served without a token. */
const PUBLIC = /^\/(|web\/[^/]+|vendor\/[^/]+|config\.json|favicon\.ico)$/

/** Hono's bearerAuth: the token compared in constant time, and what each refusal says. */
function tokenCheck(token: string): MiddlewareHandler {
  const message = (why: string) =>
    new AppError(
      'Unauthorized',
      `${why}: send 'Authorization: Bearer <token>' (the token is BEDROT_API_TOKEN, or the file api-token in the sessions folder)`,
    ).toJSON()
  return bearerAuth({
    token,
    noAuthenticationHeader: { message: message('no API token') },
    invalidAuthenticationHeader: { message: message('malformed Authorization header') },
    invalidToken: { message: message('wrong API token') },
  })
}

/** Whether the served page may carry the token: only to a same-origin (or typed-in) navigation. */
export function mayReceiveToken(c: Context): boolean {
  const site = c.req.header('sec-fetch-site')
  return site === undefined || site === 'same-origin' || site === 'none'
}
