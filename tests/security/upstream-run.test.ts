/**
 * Upstream faults through `POST /run` (every source): the TooLost fake, behind the generic fault
 * middleware, cuts bodies off, stalls, throttles with Retry-After, bursts 5xx, and lets its JWT expire
 * mid-run. Transient faults are retried through, auth is never retried, the message names the source,
 * endpoint and attempt, and DistroKid (the next source) goes on either way.
 */
import { Hono } from 'hono'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createFaults } from '../../lib/fakes/faults.ts'
import { storeDistroKidSession } from '../distrokid/session.ts'
import { createFakeDistroKid } from '../../functions/distrokid/fake.ts'
import { dailySeries, ledgerLines, ledgerTsv } from '../../functions/distrokid/fake-data.ts'
import { createFakeTooLost, fakeJwt, serveFake, type FakeTooLost } from '../../functions/toolost/fake.ts'
import { makeSystem } from '../helpers.ts'

const DAY = 86_400_000
const SPOTIFY = '/api/portal/analytics/spotify'
const APPLE = '/api/portal/analytics/apple/'
const points = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ date: new Date(Date.UTC(2025, 4, 1) + i * DAY).toISOString().slice(0, 10), streams: 100 + i }))

describe('upstream faults during POST /run', () => {
  let sys: Awaited<ReturnType<typeof makeSystem>>
  let toolost: FakeTooLost
  const faults = createFaults()
  let afterSpotify: (() => void) | null = null
  const servers: { url: string; close(): Promise<void> }[] = []

  beforeAll(async () => {
    toolost = createFakeTooLost({ spotify: points(20), apple: points(15), now: new Date('2025-05-22T12:00:00Z') })
    const front = new Hono()
    front.use('*', faults.middleware)
    front.use(SPOTIFY, async (_c, next) => {
      await next()
      afterSpotify?.()
    })
    front.route('/', toolost.app)
    const dk = createFakeDistroKid({ spotifyDaily: dailySeries('2025-03-01', '2025-03-31', 3), appleDaily: [], ledgerTsv: ledgerTsv([...ledgerLines(20, 3)]) })
    const [tl, dkServer] = [await serveFake(front), await serveFake(dk.app)]
    servers.push(tl, dkServer)
    sys = await makeSystem({
      TOOLOST_BASE_URL: tl.url,
      DISTROKID_BASE_URL: dkServer.url,
      BEDROT_UPSTREAM_TIMEOUT_MS: '3000',
      BEDROT_UPSTREAM_BODY_TIMEOUT_MS: '1000',
      BEDROT_UPSTREAM_RETRIES: '3',
    })
    await storeDistroKidSession(sys.config.sessionsDir, dkServer.url, dk.issueSession())
  })
  afterAll(async () => {
    await sys.close()
    for (const s of servers) await s.close()
  })
  beforeEach(async () => {
    faults.clear()
    faults.served.splice(0)
    afterSpotify = null
    toolost.setNow(new Date('2025-05-22T12:00:00Z'))
    toolost.requests.splice(0)
    await sys.services.credentials.save('toolost', 'default', { token: fakeJwt(new Date(Date.now() + 3 * DAY)) })
  })

  const runAll = async () => {
    const res = await sys.app.request('/run', { method: 'POST' })
    expect(res.status).toBe(200)
    const { runs } = (await res.json()) as { runs: { source: string; status: string; message?: string; steps: Record<string, { message?: string }> }[] }
    return Object.fromEntries(runs.map((r) => [r.source, r]))
  }
  const calls = (p: string) => toolost.requests.filter((r) => r.startsWith(`GET ${p}?`)).length

  it('resets mid-body, a stall, 429 with Retry-After and a 5xx burst are retried through; both sources load', async () => {
    faults.inject({ path: SPOTIFY, kind: 'reset', times: 2 })
    faults.inject({ path: SPOTIFY, kind: 'stall', times: 1 })
    faults.inject({ path: APPLE, kind: 'status', status: 429, retryAfter: 1 })
    faults.inject({ path: APPLE, kind: 'status', status: 503, times: 2 })
    const runs = await runAll()
    expect(runs.toolost.status, runs.toolost.message).toBe('ok')
    expect(runs.distrokid.status, runs.distrokid.message).toBe('ok')
    expect(faults.served).toEqual([`reset ${SPOTIFY}`, `reset ${SPOTIFY}`, `stall ${SPOTIFY}`, `status ${APPLE}`, `status ${APPLE}`, `status ${APPLE}`])
    // The fake's handler ran for the cut-off bodies too; status faults answer before it.
    expect([calls(SPOTIFY), calls(APPLE)]).toEqual([4, 1])
    const rows = await sys.services.wh.db.selectFrom('streams_daily').select('streams').where('distributor', '=', 'toolost').execute()
    expect(rows).toHaveLength(35)
  })

  it('a body that never stops stalling fails naming source, endpoint and attempt; DistroKid goes on', async () => {
    faults.inject({ path: SPOTIFY, kind: 'stall', times: 99 })
    const runs = await runAll()
    expect(runs.toolost.status).toBe('failed')
    expect(runs.toolost.steps.extract.message).toMatch(
      /^Spotify analytics: body stalled: nothing received for 1000 ms after \d+ bytes \(toolost: GET \/api\/portal\/analytics\/spotify, attempt 4\/4\)$/,
    )
    expect(calls(SPOTIFY)).toBe(4)
    expect(calls(APPLE)).toBe(0)
    expect(runs.distrokid.status, runs.distrokid.message).toBe('ok')
  })

  it('no answer at all: each attempt times out, then the run fails with the attempt named', async () => {
    faults.inject({ path: APPLE, kind: 'timeout', times: 99 })
    const runs = await runAll()
    expect(runs.toolost.steps.extract.message).toBe('Apple Music analytics: timed out after 3000 ms (toolost: GET /api/portal/analytics/apple/, attempt 4/4)')
    expect(faults.served.filter((f) => f === `timeout ${APPLE}`)).toHaveLength(4)
    expect(runs.distrokid.status).toBe('ok')
  })

  it("the JWT expiring mid-run (on the fake portal's clock) is needs_auth, never retried; DistroKid goes on", async () => {
    afterSpotify = () => toolost.setNow(new Date(Date.now() + 30 * DAY))
    const runs = await runAll()
    expect(runs.toolost.status).toBe('needs_auth')
    // The refused JWT is renewed once from the stored portal session (the renewal meets the sign-in page
    // on the fake's clock, 30 days on): the source needs a person, and nothing was retried.
    expect(runs.toolost.steps.extract.message).toMatch(
      /^Apple Music analytics: toolost session ended \(.+ asked to sign in again\): log in again with `npm run auth -- toolost`$/,
    )
    expect([calls(SPOTIFY), calls(APPLE)]).toEqual([1, 1])
    expect(runs.distrokid.status, runs.distrokid.message).toBe('ok')
  })
})
