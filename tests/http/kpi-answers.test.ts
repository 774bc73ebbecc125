/**
 * Cached KPI answers are kept as bytes with their headers ready (lib/http/kpi.ts). These prove what a
 * kept answer must still do: carry the same headers as any other resource (secure headers included) on
 * 200, 304 and HEAD, and give way to a new body and a new ETag when the data, the day or a session
 * status it depends on changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../lib/app.ts'
import { CredentialStore } from '../../lib/credentials/store.ts'
import { bumpDataVersion } from '../../lib/kpi/cache.ts'
import { makeSystem, withToken } from '../helpers.ts'

type System = Awaited<ReturnType<typeof makeSystem>>
const DAY = 86_400_000
const SECURE = ['x-content-type-options', 'cross-origin-resource-policy']
const DOCUMENT_ONLY = ['content-security-policy', 'x-frame-options', 'referrer-policy', 'strict-transport-security']

describe('kept KPI answers', () => {
  let sys: System
  let day = '2025-06-01'
  let now = Date.UTC(2025, 5, 1)
  let app: ReturnType<typeof createApp>

  beforeAll(async () => {
    sys = await makeSystem()
    sys.services.credentials = new CredentialStore(sys.config.sessionsDir, () => new Date(now), sys.services.sources)
    app = withToken(createApp(sys.runner, { today: () => day, apiToken: sys.token }), sys.token)
  })
  afterAll(() => sys.close())

  it('carry the headers every resource carries, on 200, 304 and HEAD', async () => {
    const list = await app.request('/kpi')
    const res = await app.request('/kpi/streams-total?days=28')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    for (const h of SECURE) expect(res.headers.get(h), h).toBe(list.headers.get(h))
    for (const h of SECURE) expect(res.headers.get(h), h).toBeTruthy()
    for (const h of DOCUMENT_ONLY) expect(res.headers.get(h), h).toBeNull()
    const body = await res.text()
    const tag = res.headers.get('etag')!
    // A second, kept answer: the same bytes and headers.
    const again = await app.request('/kpi/streams-total?days=28')
    expect(await again.text()).toBe(body)
    expect(Object.fromEntries(again.headers)).toEqual(Object.fromEntries(res.headers))
    const notModified = await app.request('/kpi/streams-total?days=28', { headers: { 'If-None-Match': tag } })
    expect(notModified.status).toBe(304)
    expect(await notModified.text()).toBe('')
    expect(notModified.headers.get('etag')).toBe(tag)
    for (const h of SECURE) expect(notModified.headers.get(h), h).toBe(list.headers.get(h))
    const head = await app.request('/kpi/streams-total?days=28', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('etag')).toBe(tag)
    for (const h of SECURE) expect(head.headers.get(h), h).toBe(list.headers.get(h))
  })

  it('a load gives a new body and a new ETag', async () => {
    const first = await app.request('/kpi/streams-total?days=all')
    const tag = first.headers.get('etag')!
    expect((await first.json()).value).toBeNull()
    sys.services.wh.sqlite
      .prepare('INSERT INTO streams_daily VALUES (?, ?, ?, ?, ?, ?)')
      .run('2025-05-30', 'distrokid', 'spotify', 1234, new Date().toISOString(), 'test')
    bumpDataVersion()
    const after = await app.request('/kpi/streams-total?days=all', { headers: { 'If-None-Match': tag } })
    expect(after.status).toBe(200)
    expect(after.headers.get('etag')).not.toBe(tag)
    expect((await after.json()).value).toBe(1234)
  })

  it('a new day gives a new body and a new ETag: the same data grows older', async () => {
    const first = await app.request('/kpi/streams-total')
    const tag = first.headers.get('etag')!
    // The newest day is 2025-05-30 (the load above): 2 days old, then 5 (warn after 3).
    expect((await first.json()).freshness).toBe('fresh')
    day = '2025-06-04'
    const next = await app.request('/kpi/streams-total', { headers: { 'If-None-Match': tag } })
    expect(next.status).toBe(200)
    expect(next.headers.get('etag')).not.toBe(tag)
    expect((await next.json()).freshness).toBe('warn')
  })

  it('the alerts answer changes when the clock moves a session into its refresh window, then past its end', async () => {
    const jwt = (exp: number) =>
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp: exp / 1000 })).toString('base64url')}.sig`
    const captured = now
    await sys.services.credentials.save('toolost', 'default', { token: jwt(captured + 7 * DAY) }, new Date(captured))
    const alerts = async (tag?: string) => {
      const res = await app.request('/kpi/alerts', tag ? { headers: { 'If-None-Match': tag } } : {})
      const body = res.status === 200 ? await res.json() : null
      const session = body?.breakdown.find((a: any) => a.key === 'session:toolost:default')
      return { status: res.status, tag: res.headers.get('etag')!, session }
    }
    const valid = await alerts()
    expect(valid.session).toBeUndefined()
    expect((await alerts(valid.tag)).status).toBe(304)
    now = captured + 2 * DAY
    const expiring = await alerts(valid.tag)
    expect(expiring.status).toBe(200)
    expect(expiring.session.message).toBe('toolost session expires in 5 days: run `npm run auth -- toolost`')
    expect((await alerts(expiring.tag)).status).toBe(304)
    now = captured + 7 * DAY
    const expired = await alerts(expiring.tag)
    expect(expired.status).toBe(200)
    expect(expired.session.status).toBe('expired')
  })
})
