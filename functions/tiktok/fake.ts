/**
 * @module Fake TikTok Studio (external_apis.md §2) for tests and the demo: the login page, Analytics →
 * Overview with the real controls (fake-pages.ts), the export download and the internal insight JSON.
 * Each account has its own session (cookie `sessionid`, with `sid_guard` and `uid_tt` alongside), which
 * expires on the fake's own clock: pages then redirect to /login, JSON answers HTTP 200 with
 * `{"status_code":8,"status_msg":"Login expired"}`. Scripted faults per account imitate throttling
 * (HTTP 429 + Retry-After, shown as a toast), a truncated ZIP, a file whose dates do not fit its window,
 * the "Download data delivers nothing" stall, and `status_code 8` from the insight JSON while the page renders. The export does not page, so neither does the fake.
 * Not imitated: XLSX content, video-level analytics, 2FA/QR login, the newer numeric insight API.
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import type { StorageState } from '../../lib/credentials/store.ts'
import { exportWindow, overviewZip } from './fake-data.ts'
import { analyticsPage, loginPage } from './fake-pages.ts'
import { INSIGHT_PATH } from './insight.ts'
import { addDays, overviewFileName } from './overview.ts'

export type TikTokFault =
  | { kind: 'throttle'; retryAfter?: number }
  | { kind: 'truncated' }
  | { kind: 'wrong-dates' }
  | { kind: 'stall' }
  /** The page still renders but the insight JSON says HTTP 200 `status_code: 8` (the session died server-side). */
  | { kind: 'expired-json' }

export interface FakeTikTokOptions {
  accounts: { name: string; scale: number; followers: number; password?: string }[]
  now?: Date
}

const RANGES = [7, 28, 60, 365]

export function createFakeTikTok(opts: FakeTikTokOptions) {
  let now = opts.now ?? null
  const clock = () => now ?? new Date()
  const accounts = new Map(opts.accounts.map((a) => [a.name, a]))
  const sessions = new Map<string, { account: string; expiresAt: number }>()
  const faults = new Map<string, TikTokFault[]>()
  const revisions = new Map<string, number>()
  const requests: string[] = []
  const app = new Hono()

  const sessionOf = (c: Context) => {
    const s = sessions.get(getCookie(c, 'sessionid') ?? '')
    return s && s.expiresAt > clock().getTime() ? s : null
  }
  const expired = (c: Context) => c.json({ status_code: 8, status_msg: 'Login expired' })

  app.use('*', async (c, next) => {
    requests.push(`${c.req.method} ${new URL(c.req.url).pathname}`)
    await next()
  })
  app.get('/login', (c) => c.html(loginPage()))
  app.get('/login/phone-or-email/email', (c) => c.html(loginPage()))
  app.post('/login/phone-or-email/email', async (c) => {
    const form = await c.req.parseBody()
    const a = accounts.get(String(form.username ?? ''))
    if (!a?.password || a.password !== form.password) return c.html(loginPage(), 401)
    for (const k of Object.entries(cookiesFor(a.name, clock().getTime() + 30 * 86_400_000)))
      c.header('Set-Cookie', `${k[0]}=${k[1]}; Path=/; HttpOnly`, { append: true })
    return c.redirect('/tiktokstudio/analytics')
  })
  const studio = (c: Context) => {
    const s = sessionOf(c)
    if (!s) return c.redirect(`/login?redirect_url=${encodeURIComponent(new URL(c.req.url).pathname)}`)
    return c.html(analyticsPage(s.account))
  }
  app.get('/tiktokstudio', studio)
  app.get('/tiktokstudio/analytics', studio)

  app.get('/tiktokstudio/api/analytics/export', (c) => {
    const s = sessionOf(c)
    if (!s) return expired(c)
    const days = Number(c.req.query('days'))
    if (!RANGES.includes(days)) return c.json({ status_code: 5, status_msg: 'Invalid parameters' })
    if (c.req.query('format') !== 'CSV') return c.json({ status_code: 5, status_msg: 'Only the CSV export is imitated by this fake' })
    const fault = faults.get(s.account)?.shift()
    if (fault?.kind === 'throttle') {
      c.header('Retry-After', String(fault.retryAfter ?? 1))
      return c.json({ status_code: 7, status_msg: 'Too many requests. Please try again later.' }, 429)
    }
    if (fault?.kind === 'stall') return c.body(null, 204)
    const a = accounts.get(s.account)!
    const today = clock().toISOString().slice(0, 10)
    const revision = (revisions.get(s.account) ?? 0) + 1
    revisions.set(s.account, revision)
    let rows = exportWindow(s.account, today, days, a.scale, revision)
    if (fault?.kind === 'wrong-dates') rows = rows.map((d, i) => (i === 3 ? { ...d, date: addDays(d.date, 1) } : d))
    let bytes = overviewZip(rows, clock())
    if (fault?.kind === 'truncated') bytes = bytes.subarray(0, Math.floor(bytes.length / 2))
    const name = overviewFileName({ windowStart: addDays(today, -(days - 1)), downloadedAt: clock().toISOString(), account: s.account })
    c.header('Content-Type', 'application/zip')
    c.header('Content-Disposition', `attachment; filename="${name}"`)
    return c.body(bytes as Uint8Array<ArrayBuffer>)
  })

  app.get(INSIGHT_PATH, (c) => {
    const s = sessionOf(c)
    if (!s) return expired(c)
    let types: { insigh_type?: unknown }[]
    try {
      types = JSON.parse(c.req.query('type_requests') ?? '')
    } catch {
      return c.json({ status_code: 5, status_msg: 'Invalid parameters' })
    }
    const queue = faults.get(s.account)
    if (queue?.[0]?.kind === 'expired-json') {
      queue.shift()
      return expired(c)
    }
    const a = accounts.get(s.account)!
    const out: Record<string, unknown> = { status_code: 0, status_msg: '' }
    for (const t of Array.isArray(types) ? types : []) {
      if (t.insigh_type !== 'follower_num') return c.json({ status_code: 5, status_msg: 'Invalid parameters' })
      // Followers grow slowly with the fake's clock, so two runs days apart see a gain.
      out.follower_num = { value: a.followers + Math.floor((clock().getTime() - Date.UTC(2024, 0, 1)) / 86_400_000) * 3 }
    }
    return c.json(out)
  })

  /** Cookies of a fresh session for one account, registered with the fake. */
  function cookiesFor(account: string, expiresAt: number): Record<string, string> {
    const id = `fake-tiktok-sessionid-${randomBytes(8).toString('hex')}`
    sessions.set(id, { account, expiresAt })
    return { sessionid: id, sid_guard: `fake-tiktok-sid-guard-${randomBytes(6).toString('hex')}`, uid_tt: `fake-tiktok-uid-${randomBytes(6).toString('hex')}` }
  }

  return {
    app,
    requests,
    setNow(d: Date) {
      now = d
    },
    /** The next export requests of `account` get these answers, in order. */
    fail(account: string, ...f: TikTokFault[]) {
      faults.set(account, [...(faults.get(account) ?? []), ...f])
    },
    /** A stored session as `npm run auth -- tiktok <account>` would capture it, valid until `expiresAt`. */
    session(account: string, baseUrl: string, expiresAt: Date): StorageState {
      const domain = new URL(baseUrl).hostname
      const expires = Math.floor(expiresAt.getTime() / 1000)
      return {
        cookies: Object.entries(cookiesFor(account, expiresAt.getTime())).map(([name, value]) => ({
          name,
          value,
          domain,
          path: '/',
          expires,
          httpOnly: true,
          secure: false,
          sameSite: 'Lax' as const,
        })),
        origins: [],
      }
    },
    /** Ends every session of an account on the fake's side (TikTok logged it out). */
    expire(account: string) {
      for (const [id, s] of sessions) if (s.account === account) sessions.delete(id)
    },
  }
}

export type FakeTikTok = ReturnType<typeof createFakeTikTok>

export { demo } from './fake-demo.ts'
