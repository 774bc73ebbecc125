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

const SAFE = /^(GET|HEAD|OPTIONS)$/

/** The host name a request was addressed to, lower case, without port; IPv6 keeps its brackets. */
export function requestHost(c: Context): string {
  const raw = c.req.header('host') ?? new URL(c.req.url).host
  const host = raw.trim().toLowerCase()
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '')
}

function deny(c: Context, status: 401 | 403, code: ErrorCode, message: string) {
  return c.json(new AppError(code, message).toJSON(), status)
}

/** Refuses any request addressed to a host name the server was not configured for. */
export function hostGuard(allowed: string[]): MiddlewareHandler {
  const set = new Set(allowed)
  return async (c, next) => {
    const host = requestHost(c)
    if (!set.has(host)) return deny(c, 403, 'ForbiddenHost', `requests for host '${host}' are not served (allowed: ${allowed.join(', ')})`)
    await next()
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
    if (SAFE.test(c.req.method)) return next()
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

export function authGuard(token: string, opts: { everyRoute: boolean }): MiddlewareHandler {
  const message = (why: string) =>
    new AppError(
      'Unauthorized',
      `${why}: send 'Authorization: Bearer <token>' (the token is BEDROT_API_TOKEN, or the file api-token in the sessions folder)`,
    ).toJSON()
  const check = bearerAuth({
    token,
    noAuthenticationHeader: { message: message('no API token') },
    invalidAuthenticationHeader: { message: message('malformed Authorization header') },
    invalidToken: { message: message('wrong API token') },
  })
  return async (c, next) => {
    const needs = !SAFE.test(c.req.method) || (opts.everyRoute && !PUBLIC.test(c.req.path))
    return needs ? check(c, next) : next()
  }
}

/** Whether the served page may carry the token: only to a same-origin (or typed-in) navigation. */
export function mayReceiveToken(c: Context): boolean {
  const site = c.req.header('sec-fetch-site')
  return site === undefined || site === 'same-origin' || site === 'none'
}
