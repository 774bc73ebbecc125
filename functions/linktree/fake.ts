/**
 * @module Fake Linktree GraphQL (external_apis.md §6) for tests and the demo: `POST /graphql` with
 * `Authorization: Bearer <token>`, answering any operation whose name contains "Analytics" (and the
 * link-title lookup) by the fields its query asks for: `overview`, `links`/`socials`, `lifetime`/
 * `referrers`/`locations`/`devices`, `link<ID>: link(id: …)` aliases. Like the UI, it serves at most the
 * last 365 days (earlier dates are clamped), so history must be kept by the caller. Tokens expire on
 * the fake's own clock; an expired or unknown token gets HTTP 200 with GraphQL `errors[]`
 * (`extensions.code: "UNAUTHENTICATED"`, the likely shape; unverified). Scripted faults imitate
 * throttling (429 + Retry-After; Linktree's own throttle is unknown), a 502, and a truncated body.
 * Linktree does not page, so neither does the fake. Not imitated: the exact query text Linktree uses,
 * subscribers, products, the analytics chat and account metadata answers, city coordinates.
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { addDays } from '../../lib/kpi/window.ts'
import { breakdownsAnswer, datesBetween, fakeDay, linksAnswer, overviewAnswer, titlesAnswer, type FakeLink } from './fake-data.ts'

export type LinktreeFault = { kind: 'throttle'; retryAfter?: number } | { kind: 'unavailable' } | { kind: 'truncated' }

export interface FakeLinktreeOptions {
  scale: number
  links: FakeLink[]
  socials?: string[]
  lifetime?: { views: number; clicks: number; socials: number }
  now?: Date
}

const MAX_DAYS = 365

export function createFakeLinktree(opts: FakeLinktreeOptions) {
  let now = opts.now ?? null
  const clock = () => now ?? new Date()
  const tokens = new Map<string, number>()
  const faults: LinktreeFault[] = []
  const requests: { operationName: string; variables: Record<string, unknown>; authorization: string | null }[] = []
  let revision = 0
  const socials = opts.socials ?? ['instagram', 'email_address']
  const lifetime = opts.lifetime ?? { views: 3502, clicks: 1702, socials: 301 }
  const app = new Hono()

  app.post('/graphql', async (c) => {
    const authorization = c.req.header('authorization') ?? null
    let body: { operationName?: unknown; query?: unknown; variables?: Record<string, unknown> }
    try {
      body = await c.req.json()
    } catch {
      return c.json({ errors: [{ message: 'Body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] }, 400)
    }
    const operationName = String(body.operationName ?? '')
    requests.push({ operationName, variables: body.variables ?? {}, authorization })
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1]
    const exp = token ? tokens.get(token) : undefined
    if (!exp || exp <= clock().getTime()) return c.json({ errors: [{ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } }], data: null })
    const fault = faults.shift()
    if (fault?.kind === 'throttle') {
      c.header('Retry-After', String(fault.retryAfter ?? 1))
      return c.json({ errors: [{ message: 'Too many requests' }] }, 429)
    }
    if (fault?.kind === 'unavailable') return c.text('Bad Gateway', 502)
    const query = String(body.query ?? '')
    const today = clock().toISOString().slice(0, 10)
    const v = body.variables ?? {}
    let to = typeof v.endDate === 'string' && v.endDate < today ? v.endDate : today
    let from = typeof v.startDate === 'string' ? v.startDate : addDays(to, -6)
    if (from < addDays(today, -(MAX_DAYS - 1))) from = addDays(today, -(MAX_DAYS - 1))
    if (from > to) [from, to] = [to, from]
    // The newest day is still counting: it changes between captures, like the real "today".
    const days = datesBetween(from, to).map((d) => fakeDay(d, opts.scale, d >= addDays(today, -1) ? revision : 0))
    let answer: unknown
    const ids = [...query.matchAll(/link(\d+)\s*:\s*link\s*\(/g)].map((m) => Number(m[1]))
    if (ids.length) answer = titlesAnswer(opts.links, ids)
    else if (!/analytics/i.test(operationName)) return c.json({ errors: [{ message: `Unknown operation ${operationName}` }] })
    else if (/\boverview\b/.test(query)) answer = overviewAnswer(days)
    else if (/\blinks\b/.test(query)) answer = linksAnswer(days, opts.links, socials, lifetime.views)
    else if (/\b(referrers|lifetime|locations|devices)\b/.test(query)) answer = breakdownsAnswer(days, lifetime)
    else return c.json({ errors: [{ message: 'Cannot query this selection on AccountAnalytics', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }, 400)
    const text = JSON.stringify(answer)
    return c.body(fault?.kind === 'truncated' ? text.slice(0, Math.floor(text.length / 2)) : text, 200, { 'Content-Type': 'application/json' })
  })

  return {
    app,
    requests,
    setNow(d: Date) {
      now = d
    },
    /** A new capture: the provisional newest days change. */
    nextRevision() {
      revision++
    },
    fail(...f: LinktreeFault[]) {
      faults.push(...f)
    },
    /** Drops scripted faults not yet consumed. */
    clearFaults() {
      faults.length = 0
    },
    /** A bearer token as the admin session holds it, valid until `expiresAt` on the fake's clock. */
    issueToken(expiresAt: Date): string {
      const t = `fake-linktree-token-${randomBytes(12).toString('hex')}`
      tokens.set(t, expiresAt.getTime())
      return t
    },
    revokeAll() {
      tokens.clear()
    },
  }
}

export type FakeLinktree = ReturnType<typeof createFakeLinktree>
export { demo } from './fake-demo.ts'
