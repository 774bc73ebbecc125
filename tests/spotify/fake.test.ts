import { describe, expect, it } from 'vitest'
import { createFakeSpotify, demoArtists } from '../../functions/spotify/fake.ts'

const ZONE = '62owJQCD2XzVB2o19CVsFM'
const PIG = '1Eu67EqPy2NutiM0lqCarw'
const timelinePath = (id: string, metric: string, query: string) =>
  `/s4x-insights-api/v1/artist/${id}/audience/timeline/${metric}/${id}?aggregation-level=recording&${query}`
const auth = (t: string) => ({ headers: { authorization: `Bearer ${t}` } })

describe('fake Spotify for Artists', () => {
  it('serves the audience timeline with counts as strings, limited by time-filter', async () => {
    const fake = createFakeSpotify({ artists: demoArtists() })
    const t = fake.issueToken([ZONE])
    const res = await fake.app.request(timelinePath(ZONE, 'followers', 'time-filter=7day'), auth(t))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { timelinePoint: { date: string; num: unknown }[] }
    expect(body.timelinePoint.map((p) => p.date)).toEqual(['2025-05-25', '2025-05-26', '2025-05-27', '2025-05-28', '2025-05-29', '2025-05-30', '2025-05-31'])
    expect(body.timelinePoint.every((p) => typeof p.num === 'string')).toBe(true)
    // 1500 + 30 * 2 + 30 % 3 on the last day of audienceSeries
    expect(body.timelinePoint.at(-1)!.num).toBe('1560')

    const custom = await fake.app.request(timelinePath(ZONE, 'streams', 'time-filter=custom&start-date=2025-05-01&end-date=2025-05-03'), auth(t))
    expect(((await custom.json()) as { timelinePoint: unknown[] }).timelinePoint).toHaveLength(3)
    const tooLong = await fake.app.request(timelinePath(ZONE, 'streams', 'time-filter=custom&start-date=2024-01-01&end-date=2025-05-03'), auth(t))
    expect(tooLong.status).toBe(400)
    expect((await fake.app.request(timelinePath(ZONE, 'streams', 'time-filter=weekly'), auth(t))).status).toBe(400)
  })

  it('answers an expired token with a plain-text "Token expired" 401, other artists with 403', async () => {
    const fake = createFakeSpotify({ artists: demoArtists() })
    const t = fake.issueToken([ZONE])
    expect((await fake.app.request(timelinePath(PIG, 'streams', 'time-filter=28day'), auth(t))).status).toBe(403)
    expect((await fake.app.request(timelinePath(ZONE, 'streams', 'time-filter=28day'))).status).toBe(401)
    fake.expireToken(t)
    const res = await fake.app.request(timelinePath(ZONE, 'streams', 'time-filter=28day'), auth(t))
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await res.text()).toBe('Token expired')
  })

  it('serves per-song stats and timelines only to tokens allowed song data', async () => {
    const fake = createFakeSpotify({ artists: demoArtists() })
    const t = fake.issueToken([ZONE])
    const res = await fake.app.request(`/s4x-insights-api/v2/artist/${ZONE}/recordings?aggregation-level=recording&time-filter=all`, auth(t))
    const { recordingStats } = (await res.json()) as { recordingStats: { id: string; numStreams: string; isDisabled: boolean }[] }
    expect(recordingStats.map((s) => s.id)).toEqual(['0fakeTrackZoneA0Hold01', '0fakeTrackZoneA0Luna02', '0fakeTrackZoneA0Gone03'])
    expect(recordingStats[2].isDisabled).toBe(true)
    const daily = await fake.app.request(`/s4x-insights-api/v1/artist/${ZONE}/recording/0fakeTrackZoneA0Luna02/timeline/streams?time-filter=all`, auth(t))
    const points = ((await daily.json()) as { timelinePoint: { num: string }[] }).timelinePoint
    expect(String(points.reduce((n, p) => n + Number(p.num), 0))).toBe(recordingStats[1].numStreams)

    const noSongs = fake.issueToken([ZONE], { songs: false })
    expect((await fake.app.request(`/s4x-insights-api/v2/artist/${ZONE}/recordings?time-filter=all`, auth(noSongs))).status).toBe(403)
  })

  it('serves the Web API artist in the full and the Development Mode shape', async () => {
    const fake = createFakeSpotify({ artists: demoArtists() })
    const t = fake.issueApiToken()
    const full = (await (await fake.app.request(`/v1/artists/${ZONE}`, auth(t))).json()) as Record<string, any>
    expect(full.followers).toEqual({ href: null, total: 1562 })
    expect(full.popularity).toBe(23)
    fake.webApiShape = 'dev-mode'
    const dev = (await (await fake.app.request(`/v1/artists/${ZONE}`, auth(t))).json()) as Record<string, any>
    expect(dev).not.toHaveProperty('followers')
    expect(dev).not.toHaveProperty('popularity')
    expect(dev.name).toBe('ZONE A0')
    fake.expireApiToken(t)
    const expired = await fake.app.request(`/v1/artists/${ZONE}`, auth(t))
    expect(expired.status).toBe(401)
    expect(await expired.json()).toEqual({ error: { status: 401, message: 'The access token expired' } })
  })

  it('sends a logged-out browser to the login form, and a logged-in one to the app', async () => {
    const fake = createFakeSpotify({ artists: demoArtists(), logins: { 'artist@example.com': { password: 'fake-password', artistIds: [ZONE] } } })
    const out = await fake.app.request('/c/artist/x/audience')
    expect(out.status).toBe(302)
    expect(out.headers.get('location')).toBe('/login?continue=%2Fc%2Fartist%2Fx%2Faudience')
    const form = await (await fake.app.request('/login')).text()
    for (const sel of ['id="login-username"', 'id="login-password"', 'id="login-button"']) expect(form).toContain(sel)
    const body = new URLSearchParams({ username: 'artist@example.com', password: 'fake-password' }).toString()
    const res = await fake.app.request('/login', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(res.headers.get('location')).toBe('/home')
    const cookie = res.headers.get('set-cookie')!.split(';')[0]
    const home = await (await fake.app.request('/home', { headers: { cookie } })).text()
    expect(home).toContain('<span data-encore-id="text">Audience</span>')
  })
})
