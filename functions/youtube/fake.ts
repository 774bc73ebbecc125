/**
 * @module Fake YouTube (external_apis.md §7, §10.5): the OAuth token endpoint (access tokens live an hour
 * on the fake's clock; a revoked refresh token answers `invalid_grant`), the Analytics v2 report (columns
 * in request order, `rows` omitted when empty, the newest two days not yet available), the Data API
 * channel list (counts as strings, paged by `nextPageToken`), Google's error bodies (401 UNAUTHENTICATED
 * with WWW-Authenticate, 403 quotaExceeded once the day's units are spent — the day being Pacific —, 429
 * RESOURCE_EXHAUSTED through the queue).
 */
import { randomBytes } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { CredentialStore } from '../../lib/credentials/store.ts'
import { answerQueue, FakeClock } from '../../lib/fakes/queue.ts'
import type { DemoFake } from '../../lib/source.ts'

export { serveFake } from '../../lib/fakes/serve.ts'

export interface YoutubeDay {
  date: string
  views: number
  estimatedMinutesWatched: number
  subscribersGained: number
  subscribersLost: number
}
export interface FakeChannel {
  id: string
  title: string
  days: YoutubeDay[]
}

const HOUR = 3_600_000
const DAY = 86_400_000
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10)
const pacificDay = (t: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles' }).format(t)

export const googleError = (c: Context, status: number, reason: string, message: string, extra: Record<string, unknown> = {}) =>
  c.json(
    { error: { code: status, message, errors: [{ message, domain: reason === 'quotaExceeded' ? 'youtube.quota' : 'global', reason }], ...extra } },
    status as 400,
  )

export function createFakeYoutube(opts: { channels: FakeChannel[]; clientId?: string; clientSecret?: string; quotaPerDay?: number; now?: Date }) {
  const clock = new FakeClock(opts.now)
  const queue = answerQueue()
  const refreshTokens = new Map<string, { revoked: boolean }>()
  const accessTokens = new Map<string, number>()
  const used = new Map<string, number>()
  const clientId = opts.clientId ?? 'fake-client-id.apps.googleusercontent.com'
  const clientSecret = opts.clientSecret ?? 'fake-client-secret-123'

  /** Every API call spends a unit of the (Pacific) day's quota; an exhausted day answers 403 quotaExceeded. */
  const authorize = (c: Context): Response | null => {
    const token = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1]
    const until = token ? accessTokens.get(token) : undefined
    if (!until || until <= clock.now().getTime()) {
      return c.json(
        {
          error: {
            code: 401,
            message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
            errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }],
            status: 'UNAUTHENTICATED',
          },
        },
        401,
        { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      )
    }
    const day = pacificDay(clock.now())
    const spent = (used.get(day) ?? 0) + 1
    used.set(day, spent)
    if (spent > (opts.quotaPerDay ?? 10_000))
      return googleError(c, 403, 'quotaExceeded', 'The request cannot be completed because you have exceeded your quota.')
    return null
  }

  const app = new Hono()
  app.use('*', queue.middleware)
  app.post('/token', async (c) => {
    const form = await c.req.parseBody()
    if (form.client_id !== clientId || form.client_secret !== clientSecret)
      return c.json({ error: 'invalid_client', error_description: 'The OAuth client was not found.' }, 401)
    if (form.grant_type !== 'refresh_token') return c.json({ error: 'unsupported_grant_type', error_description: 'Invalid grant_type' }, 400)
    const r = refreshTokens.get(String(form.refresh_token))
    if (!r || r.revoked) return c.json({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }, 400)
    const access = `fake-yt-access-${randomBytes(8).toString('hex')}`
    accessTokens.set(access, clock.now().getTime() + HOUR)
    return c.json({ access_token: access, expires_in: 3599, scope: 'https://www.googleapis.com/auth/yt-analytics.readonly', token_type: 'Bearer' })
  })
  app.get('/v2/reports', (c) => {
    const denied = authorize(c)
    if (denied) return denied
    const q = c.req.query()
    const channel = opts.channels[0]
    if (q.ids !== 'channel==MINE' && q.ids !== `channel==${channel.id}`) return googleError(c, 403, 'forbidden', 'Forbidden')
    if (q.dimensions !== 'day') return googleError(c, 400, 'badRequest', 'The query is not supported.')
    const metrics = (q.metrics ?? '').split(',')
    const known = ['views', 'estimatedMinutesWatched', 'subscribersGained', 'subscribersLost']
    if (!metrics.length || metrics.some((m) => !known.includes(m)))
      return googleError(c, 400, 'invalidParameter', `Unknown identifier (${metrics.find((m) => !known.includes(m))}) given in field parameters.metrics.`)
    const last = addDays(pacificDay(clock.now()), -2)
    const rows = channel.days
      .filter((d) => d.date >= q.startDate && d.date <= q.endDate && d.date <= last)
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((d) => [d.date, ...metrics.map((m) => d[m as keyof YoutubeDay] as number)])
    const columnHeaders = [
      { name: 'day', columnType: 'DIMENSION', dataType: 'STRING' },
      ...metrics.map((m) => ({ name: m, columnType: 'METRIC', dataType: 'INTEGER' })),
    ]
    return c.json({ kind: 'youtubeAnalytics#resultTable', columnHeaders, ...(rows.length ? { rows } : {}) })
  })
  app.get('/youtube/v3/channels', (c) => {
    const denied = authorize(c)
    if (denied) return denied
    const size = Math.min(50, Number(c.req.query('maxResults') ?? 5))
    const start = Number(c.req.query('pageToken') ?? 0)
    const page = opts.channels.slice(start, start + size)
    const items = page.map((ch) => ({
      kind: 'youtube#channel',
      etag: 'fake-etag',
      id: ch.id,
      snippet: { title: ch.title },
      statistics: {
        viewCount: String(ch.days.reduce((s, d) => s + d.views, 0)),
        subscriberCount: String(ch.days.reduce((s, d) => s + d.subscribersGained - d.subscribersLost, 0)),
        hiddenSubscriberCount: false,
        videoCount: '42',
      },
    }))
    const next = start + size < opts.channels.length ? { nextPageToken: String(start + size) } : {}
    return c.json({
      kind: 'youtube#channelListResponse',
      etag: 'fake-etag',
      pageInfo: { totalResults: opts.channels.length, resultsPerPage: size },
      items,
      ...next,
    })
  })

  return {
    app,
    clock,
    queue,
    clientId,
    clientSecret,
    issueRefreshToken() {
      const token = `fake-yt-refresh-${randomBytes(8).toString('hex')}`
      refreshTokens.set(token, { revoked: false })
      return token
    },
    revoke: (token: string) => void (refreshTokens.get(token) && (refreshTokens.get(token)!.revoked = true)),
    unitsUsed: () => [...used.values()].reduce((s, n) => s + n, 0),
  }
}
export type FakeYoutube = ReturnType<typeof createFakeYoutube>

export function youtubeYear(to: string): YoutubeDay[] {
  return Array.from({ length: 365 }, (_, k) => {
    const i = 364 - k
    const wave = 1 + 0.6 * Math.sin(i / 11)
    return {
      date: addDays(to, -i),
      views: Math.round(310 * wave + ((i * 17) % 60)),
      estimatedMinutesWatched: Math.round(820 * wave + ((i * 29) % 140)),
      subscribersGained: 2 + ((i * 7) % 5),
      subscribersLost: (i * 3) % 2,
    }
  })
}

export const demo: DemoFake = {
  create(today) {
    const fake = createFakeYoutube({ channels: [{ id: 'UCfakeLabelChannel0000001', title: 'BEDROT', days: youtubeYear(today) }] })
    return {
      app: fake.app,
      env: () => ({ YOUTUBE_CLIENT_ID: fake.clientId, YOUTUBE_CLIENT_SECRET: fake.clientSecret }),
      async logIn(sessionsDir: string) {
        await new CredentialStore(sessionsDir).save('youtube', 'default', { token: fake.issueRefreshToken() })
      },
    }
  },
}
