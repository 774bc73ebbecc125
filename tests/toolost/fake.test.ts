/** The fake TooLost portal is only useful if it is faithful: its payloads and auth answers, pinned. */
import { describe, expect, it } from 'vitest'
import { ApplePayload, ENDPOINTS, SpotifyPayload } from '../../functions/toolost/payloads.ts'
import { createFakeTooLost, fakeJwt } from '../../functions/toolost/fake.ts'

const NOW = new Date('2025-01-10T12:00:00Z')
const span = (from: number, to: number, base: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ date: `2025-01-${String(from + i).padStart(2, '0')}`, streams: base + i }))
const fake = () =>
  createFakeTooLost({
    spotify: [{ date: '2024-12-31', streams: 99 }, ...span(1, 12, 100)],
    apple: span(1, 10, 1).filter((p) => p.date !== '2025-01-04'),
    shazam: [{ date: '2025-01-02', streams: 3 }],
    tracks: [{ isrc: 'QZVEM2588623', track: 'THE SOURCE', release: 'THE SOURCE', streams: 51 }],
    countries: [
      { country: 'JP', streams: 5 },
      { country: 'US', streams: 46 },
    ],
    now: NOW,
  })
const bearer = (exp: Date) => ({ headers: { Authorization: `Bearer ${fakeJwt(exp)}` } })
const valid = bearer(new Date(NOW.getTime() + 86_400_000))

describe('fake TooLost', () => {
  it('serves Spotify counts as strings, this year up to its today, in no date order', async () => {
    const res = await fake().app.request(ENDPOINTS.spotify, valid)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(SpotifyPayload.safeParse(body).success).toBe(true)
    const dates = body.streams.map((s: any) => s.date)
    expect([...dates].sort()).toEqual(span(1, 10, 0).map((p) => p.date))
    expect(dates).not.toEqual([...dates].sort())
    expect(body.streams.every((s: any) => typeof s.streams === 'string')).toBe(true)
  })

  it('serves Apple counts as integers, leaves a missing day out, and totals that agree', async () => {
    const body = await (await fake().app.request(ENDPOINTS.apple, valid)).json()
    expect(ApplePayload.safeParse(body).success).toBe(true)
    expect(body.totalStreams).toHaveLength(9)
    expect(body.totalStreams.find((s: any) => s.date === '2025-01-04')).toBeUndefined()
    expect(body.totalStreams.every((s: any) => Number.isInteger(s.streams))).toBe(true)
    expect(body.streamTotal).toBe(body.totalStreams.reduce((s: number, r: any) => s + r.streams, 0))
    expect(body.totalShazam).toEqual([{ date: '2025-01-02', streams: '3' }])
    expect(body.countryTotal.map((c: any) => c.country)).toEqual(['US', 'JP'])
    // Only with the trailing slash before `?`, as the portal calls it.
    expect((await fake().app.request('/api/portal/analytics/apple?release=&date=thisYear', valid)).status).toBe(404)
  })

  it('answers no JWT with a 302 to /login and an expired one with 401', async () => {
    const f = fake()
    const anon = await f.app.request(ENDPOINTS.spotify)
    expect([anon.status, anon.headers.get('location')]).toEqual([302, '/login'])
    expect((await f.app.request(ENDPOINTS.spotify, bearer(new Date(NOW.getTime() - 1000)))).status).toBe(401)
    expect((await f.app.request(ENDPOINTS.spotify, { headers: { Authorization: 'Bearer not-a-jwt' } })).status).toBe(401)
  })

  it('plays scripted faults in order, then serves normally', async () => {
    const f = fake()
    f.fail('spotify', { status: 429, retryAfter: '2' }, { status: 503 }, { kind: 'malformed' })
    const a = await f.app.request(ENDPOINTS.spotify, valid)
    expect([a.status, a.headers.get('retry-after')]).toEqual([429, '2'])
    expect((await f.app.request(ENDPOINTS.spotify, valid)).status).toBe(503)
    const bad = await f.app.request(ENDPOINTS.spotify, valid)
    await expect(bad.json()).rejects.toThrow()
    expect((await f.app.request(ENDPOINTS.spotify, valid)).status).toBe(200)
    expect((await f.app.request(ENDPOINTS.apple, valid)).status).toBe(200)
  })
})
