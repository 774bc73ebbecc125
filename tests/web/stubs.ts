/**
 * @module The page's app with stubbed JSON routes (sessions, runs, health and the KPI envelopes),
 * recording every request so tests can check what the page asked for.
 */
import { serve } from '@hono/node-server'
import { createHash } from 'node:crypto'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Hono, type Context } from 'hono'
import { mountWeb } from '../../lib/web.ts'
import { ENVELOPES } from './envelopes.ts'

export interface Seen {
  method: string
  path: string
  query: Record<string, string>
  ifNoneMatch?: string
}

export const SESSIONS = [
  {
    source: 'distrokid',
    account: 'default',
    status: 'expired',
    daysLeft: 0,
    expiresAt: '2026-11-20T00:00:00Z',
    command: 'npm run auth -- distrokid',
  },
  {
    source: 'tiktok',
    account: 'zone.a0',
    status: 'missing',
    daysLeft: null,
    expiresAt: null,
    command: 'npm run auth -- tiktok --account zone.a0',
  },
  {
    source: 'spotify',
    account: 'default',
    status: 'valid',
    daysLeft: 23,
    expiresAt: '2026-12-18T00:00:00Z',
    command: 'npm run auth -- spotify',
  },
]

const ago = (min: number) => new Date(Date.now() - min * 60_000).toISOString()
const run = (id: string, source: string, status: string, min: number, message: string | null) => ({
  id,
  source,
  trigger: 'cron',
  status,
  severity: status === 'failed' ? 'high' : null,
  message,
  started_at: ago(min),
  finished_at: ago(min - 0.4),
  steps: [],
})
export const RUNS = [
  run('r-3', 'toolost', 'failed', 14, 'extract failed: 502 from upstream after 3 tries'),
  run('r-2', 'distrokid', 'needs_auth', 75, 'session expired for distrokid: log in again with `npm run auth -- distrokid`'),
  run('r-1', 'spotify', 'ok', 190, 'loaded 28 rows'),
]

export const HEALTH = {
  status: 'degraded',
  sources: [
    {
      source: 'distrokid',
      running: false,
      lastRun: RUNS[1],
      newestDate: '2026-11-24',
      freshness: 'fresh',
    },
    {
      source: 'spotify',
      running: false,
      lastRun: RUNS[2],
      newestDate: '2026-11-02',
      freshness: 'stale',
    },
    { source: 'tiktok', running: false, lastRun: null, newestDate: null, freshness: 'empty' },
    {
      source: 'toolost',
      running: false,
      lastRun: RUNS[0],
      newestDate: '2026-11-21',
      freshness: 'warn',
    },
  ],
  sessions: SESSIONS,
  warnings: ['toolost: last run failed: extract failed: 502 from upstream after 3 tries', 'distrokid session expired: run `npm run auth -- distrokid`'],
}

/** ETag + If-None-Match like the real /kpi route, so the page's 304 handling is exercised. */
function withEtag(c: Context, body: unknown) {
  const text = JSON.stringify(body)
  const etag = `"${createHash('sha1').update(text).digest('hex').slice(0, 16)}"`
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, { ETag: etag })
  return c.body(text, 200, {
    'Content-Type': 'application/json; charset=utf-8',
    ETag: etag,
    'Cache-Control': 'no-cache',
  })
}

/** A brand-new install: every KPI answers 'empty' the way defineKpi does, nothing has run yet. */
function emptyInstall() {
  const envelopes: Record<string, object> = {}
  for (const [name, e] of Object.entries(ENVELOPES) as [string, any][]) {
    const { name: n, title, unit, sources, window } = e
    const note = `no data from ${sources.join(', ')} yet`
    envelopes[name] = {
      name: n,
      title,
      unit,
      sources,
      window,
      value: null,
      asOf: null,
      freshness: 'empty',
      note,
    }
  }
  const sessions = SESSIONS.map((s) => ({
    ...s,
    status: 'missing',
    daysLeft: null,
    expiresAt: null,
  }))
  const sources = HEALTH.sources.map((s) => ({
    ...s,
    lastRun: null,
    newestDate: null,
    freshness: 'empty',
  }))
  return {
    envelopes,
    sessions,
    runs: [],
    health: { status: 'ok', sources, sessions, warnings: [] },
  }
}

/** The page's app with stubbed JSON routes; every request is recorded in `seen`. */
export function stubApp(opts: { pollSeconds: number; runDelayMs?: number; empty?: boolean }) {
  const data = opts.empty ? emptyInstall() : { envelopes: ENVELOPES, sessions: SESSIONS, runs: RUNS, health: HEALTH }
  const seen: Seen[] = []
  const app = new Hono()
  app.use('*', async (c, next) => {
    seen.push({
      method: c.req.method,
      path: c.req.path,
      query: c.req.query(),
      ifNoneMatch: c.req.header('if-none-match'),
    })
    await next()
  })
  app.get('/kpi', (c) =>
    c.json({
      kpis: [
        ...Object.values(data.envelopes).map((e: any) => ({
          name: e.name,
          title: e.title,
          unit: e.unit,
          sources: e.sources,
          description: '',
        })),
        // Listed but answering 404, like a KPI whose function is still being written: its card must hide.
        {
          name: 'streams-day-over-day',
          title: 'Day over day',
          unit: 'streams',
          sources: ['distrokid'],
          description: '',
        },
      ],
    }),
  )
  app.get('/kpi/:name', (c) => {
    const env = data.envelopes[c.req.param('name')]
    if (!env) return c.json({ error: { code: 'NotFound', message: `unknown KPI '${c.req.param('name')}'` } }, 404)
    return withEtag(c, env)
  })
  app.get('/health', (c) => withEtag(c, data.health))
  app.get('/auth/status', (c) => withEtag(c, { sessions: data.sessions }))
  app.get('/runs', (c) => withEtag(c, { runs: data.runs }))
  app.post('/run/:source', async (c) => {
    await new Promise((r) => setTimeout(r, opts.runDelayMs ?? 400))
    return c.json({
      runId: 'r-9',
      status: 'ok',
      message: `${c.req.param('source')}: loaded 28 rows`,
    })
  })
  mountWeb(app, { pollSeconds: opts.pollSeconds })
  return { app, seen }
}

/** Serves an app on a free loopback port (port 0), so parallel test files never collide. */
export function serveStub(app: Hono): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server: Server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise((done) => {
            // Keep-alive sockets from the browser would otherwise hold close() open.
            server.closeAllConnections()
            server.close(() => done())
          }),
      }),
    ) as Server
  })
}
