/**
 * The upstream client against injected faults (lib/fakes/faults.ts) over real HTTP: bodies cut off
 * or stalled mid-way are retried and named, the size cap holds for text and downloads, a download
 * streams into its file and leaves no temp file behind, auth is never retried.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { UpstreamClient, type UpstreamError } from '../../lib/upstream/client.ts'
import { createFaults } from '../../lib/fakes/faults.ts'
import { serveFake } from '../../lib/fakes/serve.ts'

const BIG = 'x'.repeat(200_000)
const faults = createFaults()
const hits = new Map<string, number>()
const app = new Hono()
app.use('*', async (c, next) => {
  hits.set(c.req.path, (hits.get(c.req.path) ?? 0) + 1)
  await next()
})
app.use('*', faults.middleware)
app.get('/api/data', (c) => c.json({ rows: [1, 2, 3], pad: BIG }))
const HUGE = 'y'.repeat(3 * 2 ** 20)
app.get('/api/big', (c) => c.text(HUGE))
app.get('/api/expired', (c) => c.json({ error: 'expired' }, 401))

const Rows = z.object({ rows: z.array(z.number()) })

describe('upstream faults', () => {
  let server: { url: string; close(): Promise<void> }
  let dir: string
  const client = new UpstreamClient({
    timeoutMs: 1000,
    retries: 3,
    minBackoffMs: 5,
    maxBackoffMs: 20,
    maxRetryAfterMs: 2000,
    bodyTimeoutMs: 500,
    maxBodyBytes: 2 ** 20,
  })
  const fail = async (p: Promise<unknown>) =>
    p.then(
      () => expect.fail('expected a failure'),
      (e: UpstreamError) => e,
    )

  beforeAll(async () => {
    server = await serveFake(app)
    dir = await mkdtemp(path.join(tmpdir(), 'bedrot-up-'))
  })
  afterAll(async () => {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  })
  beforeEach(() => {
    faults.clear()
    hits.clear()
  })

  it('a connection reset mid-body is retried, and the data arrives whole', async () => {
    faults.inject({ path: '/api/data', kind: 'reset', times: 2 })
    const { data } = await client.json(`${server.url}/api/data`, Rows, { source: 'toolost' })
    expect(data.rows).toEqual([1, 2, 3])
    expect(hits.get('/api/data')).toBe(3)
  })

  it('a body that stalls is retried; one that always stalls fails naming source, endpoint and attempt', async () => {
    faults.inject({ path: '/api/data', kind: 'stall' })
    expect((await client.json(`${server.url}/api/data`, Rows, { source: 'toolost' })).data.rows).toHaveLength(3)
    expect(hits.get('/api/data')).toBe(2)
    faults.inject({ path: '/api/data', kind: 'stall', times: 9 })
    const err = await fail(client.text(`${server.url}/api/data`, { source: 'toolost' }))
    expect(err.kind).toBe('network')
    expect(err.message).toMatch(/^body stalled: nothing received for 500 ms after \d+ bytes \(toolost: GET \/api\/data, attempt 4\/4\)$/)
  })

  it('a reset that never heals fails as network, named', async () => {
    faults.inject({ path: '/api/data', kind: 'reset', times: 9 })
    const err = await fail(client.text(`${server.url}/api/data`, { source: 'spotify' }))
    expect(err.kind).toBe('network')
    expect(err.message).toMatch(/^connection reset mid-body after \d+ bytes .*\(spotify: GET \/api\/data, attempt 4\/4\)$/)
    expect(hits.get('/api/data')).toBe(4)
  })

  it('429 with Retry-After waits at least that long; a 5xx burst is retried through', async () => {
    faults.inject({ path: '/api/data', kind: 'status', status: 429, retryAfter: 1 })
    const t0 = Date.now()
    await client.text(`${server.url}/api/data`)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950)
    faults.inject({ path: '/api/data', kind: 'status', status: 502, times: 3 })
    await client.text(`${server.url}/api/data`)
    expect(hits.get('/api/data')).toBe(2 + 4)
  })

  it('no answer at all times out per attempt and is retried', async () => {
    faults.inject({ path: '/api/data', kind: 'timeout', times: 1 })
    expect((await client.json(`${server.url}/api/data`, Rows)).data.rows).toHaveLength(3)
    faults.inject({ path: '/api/data', kind: 'timeout', times: 9 })
    const err = await fail(client.text(`${server.url}/api/data`, { source: 'toolost' }))
    expect(err.message).toBe('timed out after 1000 ms (toolost: GET /api/data, attempt 4/4)')
  })

  it('auth failures are never retried, even behind transient faults', async () => {
    const err = await fail(client.text(`${server.url}/api/expired`, { source: 'toolost' }))
    expect([err.kind, err.message]).toEqual(['needs_auth', 'session rejected with HTTP 401 (toolost: GET /api/expired, attempt 1/4)'])
    expect(hits.get('/api/expired')).toBe(1)
  })

  it('a body over the size cap fails at once (not retried) for text and download, leaving no file', async () => {
    // Patient about headers, so a loaded machine cannot turn this into a timeout.
    const client = new UpstreamClient({ timeoutMs: 10_000, retries: 3, minBackoffMs: 5, maxBodyBytes: 2 ** 20 })
    const err = await fail(client.text(`${server.url}/api/big`, { source: 'toolost' }))
    expect(err.kind).toBe('drift')
    expect(err.message).toMatch(/over the 1 MB limit \(toolost: GET \/api\/big, attempt 1\/4\)/)
    expect(hits.get('/api/big')).toBe(1)
    const dest = path.join(dir, 'big', 'big.txt')
    await fail(client.download(`${server.url}/api/big`, dest))
    expect(await readdir(path.dirname(dest))).toEqual([])
  })

  it('download streams into the file (0600) after a reset, with no temp file left', async () => {
    faults.inject({ path: '/api/data', kind: 'reset' })
    const dest = path.join(dir, 'dl', 'data.json')
    const { bytes } = await client.download(`${server.url}/api/data`, dest, { source: 'toolost' })
    const text = await readFile(dest, 'utf8')
    expect(bytes).toBe(Buffer.byteLength(text))
    expect(JSON.parse(text).rows).toEqual([1, 2, 3])
    expect(await readdir(path.dirname(dest))).toEqual(['data.json'])
    expect((await stat(dest)).mode & 0o777).toBe(0o600)
  })
})
