/** The upstream client against a tiny local server: retries, Retry-After, auth never retried, drift. */
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { retryAfterMs, UpstreamClient, type UpstreamError } from '../../lib/upstream/client.ts'
import { serveFake } from '../../lib/fakes/serve.ts'

const hits = new Map<string, number>()
const hit = (k: string) => {
  const n = (hits.get(k) ?? 0) + 1
  hits.set(k, n)
  return n
}

const app = new Hono()
app.get('/flaky', (c) => (hit('flaky') < 3 ? c.text('busy', 500) : c.json({ ok: true })))
app.get('/throttled', (c) => (hit('throttled') === 1 ? c.text('slow down', 429, { 'Retry-After': '1' }) : c.json({ ok: true })))
app.get('/throttled-bare', (c) => (hit('bare') === 1 ? c.text('slow down', 429) : c.json({ ok: true })))
app.get('/always-429', (c) => (hit('always') ? c.text('no', 429, { 'Retry-After': '3600' }) : c.text('')))
app.get('/expired', (c) => (hit('expired') ? c.json({ error: 'token expired' }, 401) : c.text('')))
app.get('/login-wall', (c) => (hit('wall') ? c.redirect('/login?next=/data') : c.text('')))
app.get('/malformed', (c) => c.body('{"streams": [', 200, { 'Content-Type': 'application/json' }))
app.get('/drift', (c) => c.json({ rows: 'not an array' }))
app.get('/slow', async (c) => {
  await new Promise((r) => setTimeout(r, 500))
  return c.text('late')
})

describe('upstream client', () => {
  let server: { url: string; close(): Promise<void> }
  const client = new UpstreamClient({ timeoutMs: 2000, retries: 3, minBackoffMs: 5, maxBackoffMs: 20, maxRetryAfterMs: 2000 })
  beforeAll(async () => {
    server = await serveFake(app)
  })
  afterAll(() => server.close())

  const fail = async (p: Promise<unknown>) =>
    p.then(
      () => expect.fail('expected a failure'),
      (e: UpstreamError) => e,
    )

  it('retries a 500 and succeeds', async () => {
    expect(await client.json(`${server.url}/flaky`, z.object({ ok: z.boolean() }))).toMatchObject({ data: { ok: true } })
    expect(hits.get('flaky')).toBe(3)
  })

  it('honours Retry-After on 429, and retries a bare 429 with backoff', async () => {
    const t0 = Date.now()
    await client.text(`${server.url}/throttled`)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950)
    await client.text(`${server.url}/throttled-bare`)
    expect(hits.get('bare')).toBe(2)
  })

  it('fails at once when Retry-After is longer than a run may wait', async () => {
    const err = await fail(client.text(`${server.url}/always-429`))
    expect(err.kind).toBe('rate_limited')
    expect(hits.get('always')).toBe(1)
  })

  it('never retries auth failures: 401 and a redirect to a login page are needs_auth', async () => {
    expect((await fail(client.text(`${server.url}/expired`))).kind).toBe('needs_auth')
    expect(hits.get('expired')).toBe(1)
    const wall = await fail(client.text(`${server.url}/login-wall`))
    expect([wall.kind, wall.message]).toEqual(['needs_auth', `redirected to sign-in (${new URL(server.url).host}: GET /login-wall, attempt 1/4)`])
    expect(hits.get('wall')).toBe(1)
  })

  it('malformed JSON and a payload that does not match its schema are drift', async () => {
    const bad = await fail(client.json(`${server.url}/malformed`, z.unknown()))
    expect([bad.kind, bad.message]).toEqual(['drift', 'malformed JSON from /malformed (13 bytes)'])
    const drift = await fail(client.json(`${server.url}/drift`, z.object({ rows: z.array(z.number()) })))
    expect(drift.message).toBe('unexpected payload from /drift: rows: Invalid input: expected array, received string')
  })

  it('times out instead of hanging, and says so', async () => {
    const err = await fail(new UpstreamClient({ timeoutMs: 100, retries: 0 }).text(`${server.url}/slow`))
    expect([err.kind, err.message]).toEqual(['network', `timed out after 100 ms (${new URL(server.url).host}: GET /slow, attempt 1/1)`])
  })

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('7')).toBe(7000)
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000)
    expect(retryAfterMs('soon')).toBeUndefined()
  })
})
