/**
 * @module Secure headers (Hono `secureHeaders`): the full set on the page (GET /), a short set on every
 * other response. Responses built ahead of time (the cached KPI answers, lib/http/kpi.ts) carry the short
 * set in their own plain header object, learned once from the same middleware; setting them again would
 * turn that object into a Headers instance on every request, which is most of what such a response costs.
 */
import { Hono, type MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

const documentHeaders = secureHeaders({
  // Scripts are left to the defaults (the page has an inline import map); framing and plugins are not.
  contentSecurityPolicy: { frameAncestors: ["'none'"], objectSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"] },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
})
// Only the page (GET /) is a document. On scripts, styles and JSON, framing, CSP, referrer and the rest
// do nothing; their ~500 bytes on each of the page's eleven files would be a sixth of its transfer
// budget, and on every KPI poll they are bytes and work for nothing. nosniff and CORP stay everywhere.
const resourceHeaders = secureHeaders({
  strictTransportSecurity: false,
  xFrameOptions: false,
  referrerPolicy: false,
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
})

/**
 * Marks responses whose header object already holds the resource headers (resourceHeaderObject). A
 * property rather than a WeakSet: adding to a WeakSet costs ~0.5 µs, on every cached KPI answer.
 */
const PREBUILT = Symbol('prebuilt')
type Marked = Response & { [PREBUILT]?: true }

let learned: Promise<Record<string, string>> | undefined
/** The headers resourceHeaders sets, as a plain object (lower-case names, as Headers writes them). */
export function resourceHeaderObject(): Promise<Record<string, string>> {
  learned ??= Promise.resolve(
    new Hono()
      .use(resourceHeaders)
      .get('/', (c) => c.body(null))
      .request('/'),
  ).then((res) => Object.fromEntries(res.headers))
  return learned
}

/** Marks a response built with resourceHeaderObject() in its headers: the middleware leaves it as it is. */
export function prebuiltResponse(res: Response): Response {
  ;(res as Marked)[PREBUILT] = true
  return res
}

const done = async () => {}

export const secureHeadersByPath: MiddlewareHandler = async (c, next) => {
  if (c.req.path === '/') return documentHeaders(c, next)
  await next()
  // Hono's own middleware, run once the route has answered (its next then has nothing left to do): it
  // sets its headers on that answer, unless the answer was built with them.
  if (!(c.res as Marked)[PREBUILT]) await resourceHeaders(c, done)
}
