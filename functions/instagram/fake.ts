/**
 * @module Fake Instagram Graph API (external_apis.md §9, §10.5): `/{version}/{user}/insights` time series
 * with `end_time` at the end of the Pacific day, `total_value` views, an empty `data` for missing days and
 * for follower_count under 100 followers, windows over 30 days refused (code 100), the Graph error
 * envelope (190/463 expired token on HTTP 400, throttles 4/80002 with a usage header), long-lived tokens
 * that expire 60 days after issue on the fake's clock and refresh only once a day old.
 */
import { randomBytes } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { CredentialStore } from '../../lib/credentials/store.ts'
import { answerQueue, FakeClock } from '../../lib/fakes/queue.ts'
import type { DemoFake } from '../../lib/source.ts'

export { serveFake } from '../../lib/fakes/serve.ts'

export interface InstagramDay {
  date: string
  views: number
  reach: number
  followers: number
}

const DAY = 86_400_000
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10)

/** The UTC instant a Pacific calendar day ends (07:00 or 08:00 UTC the next day). */
export function pacificDayEnd(date: string): string {
  const next = addDays(date, 1)
  for (const offset of [7, 8]) {
    const t = new Date(`${next}T0${offset}:00:00Z`)
    const hour = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hour: 'numeric', hourCycle: 'h23' }).format(t)
    if (Number(hour) === 0) return t.toISOString().replace('.000Z', '+0000')
  }
  throw new Error(`no Pacific midnight for ${next}`)
}

export const graphError = (c: Context, code: number, message: string, extra: Record<string, unknown> = {}, status = 400) =>
  c.json({ error: { message, type: code === 190 ? 'OAuthException' : 'GraphMethodException', code, fbtrace_id: 'FakeTrace123', ...extra } }, status as 400)

export function createFakeInstagram(opts: { days: InstagramDay[]; now?: Date; lagDays?: number }) {
  const clock = new FakeClock(opts.now)
  const queue = answerQueue()
  const tokens = new Map<string, { issued: number; revoked: boolean }>()
  const days = new Map(opts.days.map((d) => [d.date, d]))
  const lag = opts.lagDays ?? 2

  const issue = (at = clock.now().getTime()) => {
    const token = `fake-ig-token-${randomBytes(8).toString('hex')}`
    tokens.set(token, { issued: at, revoked: false })
    return token
  }
  const valid = (token: string | undefined) => {
    const t = token ? tokens.get(token) : undefined
    return !!t && !t.revoked && clock.now().getTime() < t.issued + 60 * DAY
  }
  const available = (date: string) => (date <= addDays(clock.now().toISOString().slice(0, 10), -lag) ? days.get(date) : undefined)

  const app = new Hono()
  app.use('*', queue.middleware)
  app.get('/refresh_access_token', (c) => {
    const token = c.req.query('access_token')
    if (c.req.query('grant_type') !== 'ig_refresh_token') return graphError(c, 100, 'Unsupported grant_type')
    if (!valid(token)) return graphError(c, 190, 'Error validating access token: Session has expired', { error_subcode: 463 })
    if (clock.now().getTime() - tokens.get(token!)!.issued < DAY) return graphError(c, 100, 'The access token must be at least 24 hours old to refresh')
    return c.json({ access_token: issue(), token_type: 'bearer', expires_in: 60 * 86_400 })
  })
  app.get('/:version/:user/insights', (c) => {
    if (!/^v\d+\.\d+$/.test(c.req.param('version'))) return graphError(c, 2635, 'Unsupported API version')
    if (!valid(c.req.query('access_token'))) return graphError(c, 190, 'Error validating access token: Session has expired', { error_subcode: 463 })
    const metrics = (c.req.query('metric') ?? '').split(',')
    const since = c.req.query('since') ?? ''
    const until = c.req.query('until') ?? ''
    if (!/^\d{4}-\d{2}-\d{2}$/.test(since) || !/^\d{4}-\d{2}-\d{2}$/.test(until) || until <= since) return graphError(c, 100, '(#100) Invalid since/until')
    const span = (Date.parse(until) - Date.parse(since)) / DAY
    if (span > 30) return graphError(c, 100, '(#100) The since and until range cannot be more than 30 days')
    const range = Array.from({ length: span }, (_, i) => addDays(since, i))
    if (c.req.query('metric_type') === 'total_value') {
      if (metrics.join() !== 'views') return graphError(c, 100, '(#100) metric_type=total_value is only supported here for views')
      const have = range.map(available).filter((d): d is InstagramDay => !!d)
      if (!have.length) return c.json({ data: [] })
      const value = have.reduce((s, d) => s + d.views, 0)
      return c.json({
        data: [
          {
            name: 'views',
            period: 'day',
            title: 'Views',
            description: 'Times your content was played or displayed.',
            total_value: { value },
            id: `${c.req.param('user')}/insights/views/day`,
          },
        ],
      })
    }
    if (metrics.some((m) => !['reach', 'follower_count'].includes(m)))
      return graphError(c, 100, `(#100) metric[0] must be one of the following values: reach, follower_count, …`)
    const data = metrics.flatMap((m) => {
      const points = range.map(available).filter((d): d is InstagramDay => !!d && (m !== 'follower_count' || d.followers >= 100))
      if (!points.length) return []
      const values = points.map((d) => ({ value: m === 'reach' ? d.reach : d.followers, end_time: pacificDayEnd(d.date) }))
      return [
        {
          name: m,
          period: 'day',
          values,
          title: m === 'reach' ? 'Accounts reached' : 'Follower count',
          description: '…',
          id: `${c.req.param('user')}/insights/${m}/day`,
        },
      ]
    })
    const base = `${new URL(c.req.url).origin}/${c.req.param('version')}/${c.req.param('user')}/insights?metric=${metrics.join(',')}&period=day`
    return c.json({
      data,
      paging: { previous: `${base}&since=${addDays(since, -span)}&until=${since}`, next: `${base}&since=${until}&until=${addDays(until, span)}` },
    })
  })

  return {
    app,
    clock,
    queue,
    /** A long-lived token, issued now or at `at` on the fake's clock. */
    issueToken: (at?: Date) => issue(at?.getTime()),
    revoke: (token: string) => void (tokens.get(token) && (tokens.get(token)!.revoked = true)),
    setDay: (d: InstagramDay) => void days.set(d.date, d),
  }
}
export type FakeInstagram = ReturnType<typeof createFakeInstagram>

/** A year of daily views, reach and followers ending `to`; deterministic. */
export function instagramYear(to: string): InstagramDay[] {
  const out: InstagramDay[] = []
  let followers = 820
  for (let i = 364; i >= 0; i--) {
    const date = addDays(to, -i)
    const wave = 1 + 0.5 * Math.sin(i / 9)
    followers += (i * 7) % 5
    out.push({ date, views: Math.round(900 * wave + ((i * 37) % 200)), reach: Math.round(420 * wave + ((i * 13) % 90)), followers })
  }
  return out
}

export const demo: DemoFake = {
  create(today) {
    const fake = createFakeInstagram({ days: instagramYear(today) })
    return {
      app: fake.app,
      async logIn(sessionsDir: string) {
        // Stored a day ago, so the first run renews it as every later run will.
        const yesterday = new Date(Date.now() - DAY - 60_000)
        const token = fake.issueToken(yesterday)
        await new CredentialStore(sessionsDir).save('instagram', 'default', { token }, yesterday)
      },
    }
  },
}
