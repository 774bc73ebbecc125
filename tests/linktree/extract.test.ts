/**
 * Linktree through the real runner against the fake GraphQL: a capture of the last 365 days; history
 * older than what Linktree still serves kept across captures, the latest capture winning where windows
 * overlap; throttling and a 502 retried; throttling that outlasts the retries; an expired token
 * (GraphQL errors in a 200 body); a truncated answer; re-runs that change nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createFakeLinktree, type FakeLinktree } from '../../functions/linktree/fake.ts'
import { serveFake } from '../../lib/fakes/serve.ts'
import { addDays } from '../../lib/kpi/window.ts'
import { makeSystem } from '../helpers.ts'

const DAY = 86_400_000
const LINKS = [
  { id: 453835498, title: 'ZONE A0 - THE SOURCE EP', active: true, weight: 9 },
  { id: 445372129, title: 'PIG1987', active: true, weight: 7 },
]

let fake: FakeLinktree
let server: { url: string; close(): Promise<void> }
let sys: Awaited<ReturnType<typeof makeSystem>>

beforeAll(async () => {
  fake = createFakeLinktree({ scale: 12, links: LINKS })
  server = await serveFake(fake.app)
})
afterAll(async () => {
  await sys?.close()
  await server.close()
})
beforeEach(async () => {
  if (sys) await sys.close()
  fake.setNow(new Date())
  fake.clearFaults()
  sys = await makeSystem({ LINKTREE_BASE_URL: server.url })
  await sys.services.credentials.save('linktree', 'default', { token: fake.issueToken(new Date(Date.now() + 10 * DAY)) })
})

const run = () => sys.runner.run({ source: 'linktree', trigger: 'cli' })
const daily = () => sys.services.wh.db.selectFrom('link_daily').selectAll().orderBy('date').execute()

describe('Linktree GraphQL extract', () => {
  it('captures 365 days with the bearer token; links, titles, referrers and the lifetime snapshot load; a re-run changes nothing', async () => {
    const today = new Date().toISOString().slice(0, 10)
    const report = await run()
    expect(report.status, report.message).toBe('ok')
    expect(fake.requests.map((r) => r.operationName)).toEqual(['AccountAnalyticsOverview', 'AccountAnalyticsLinks', 'LinkTitles', 'AccountAnalyticsBreakdowns'])
    expect(fake.requests.every((r) => /^Bearer fake-linktree-token-/.test(r.authorization ?? ''))).toBe(true)
    const d = await daily()
    expect(d).toHaveLength(365)
    expect([d[0].date, d.at(-1)!.date]).toEqual([addDays(today, -364), today])
    const links = await sys.services.wh.db.selectFrom('link_totals').selectAll().where('kind', '=', 'link').execute()
    expect(links.map((l) => l.title).sort()).toEqual(['PIG1987', 'ZONE A0 - THE SOURCE EP'])
    const clicks = d.reduce((s, x) => s + x.clicks!, 0)
    const socials = await sys.services.wh.db.selectFrom('link_totals').selectAll().where('kind', '=', 'social').execute()
    expect([...links, ...socials].reduce((s, l) => s + l.clicks!, 0)).toBe(clicks)
    expect((await sys.services.wh.db.selectFrom('link_lifetime').selectAll().execute()).map((l) => [l.date, l.views, l.clicks])).toEqual([[today, 3502, 1702]])
    const again = await run()
    expect(again.steps.load!.rowsOut).toBe(0)
    expect(await daily()).toEqual(d)
  })

  it('where captures overlap the latest wins; days Linktree no longer serves are kept', async () => {
    const today = new Date().toISOString().slice(0, 10)
    await run()
    const first = await daily()
    fake.nextRevision() // today and yesterday are still counting: a later capture restates them
    expect((await run()).status).toBe('ok')
    const second = await daily()
    expect(second).toHaveLength(365)
    const changed = second.filter((r, i) => r.views !== first[i].views || r.clicks !== first[i].clicks).map((r) => r.date)
    expect(changed.length).toBeGreaterThan(0)
    expect(changed.every((d) => d >= addDays(today, -1))).toBe(true)
    // 40 days on (Linktree's clock), its 365 days no longer reach back to our first days.
    fake.setNow(new Date(Date.now() + 40 * DAY))
    // The token expired on Linktree's clock meanwhile: a person logged in again.
    expect((await run()).status).toBe('needs_auth')
    await sys.services.credentials.save('linktree', 'default', { token: fake.issueToken(new Date(Date.now() + 50 * DAY)) })
    const report = await sys.runner.run({ source: 'linktree', trigger: 'cli', window: { from: addDays(today, -500) } })
    expect(report.status, report.message).toBe('ok')
    expect(report.steps.extract!.message).toMatch(/Linktree serves only the last 365 days/)
    const captured = fake.requests.at(-1)!.variables
    expect(captured.startDate).toBe(addDays(today, -364))
    const third = await daily()
    expect(third).toHaveLength(365)
    expect(third.slice(0, 40)).toEqual(second.slice(0, 40))
  })

  it('throttling and a 502 are retried; a throttle that outlasts the retries fails with nothing landed', async () => {
    fake.fail({ kind: 'throttle', retryAfter: 0 }, { kind: 'unavailable' })
    expect((await run()).status).toBe('ok')
    expect(await daily()).toHaveLength(365)
    fake.fail(...Array.from({ length: 4 }, () => ({ kind: 'throttle' as const, retryAfter: 0 })))
    const before = (await sys.services.lake.list('landing', 'linktree')).length
    const report = await run()
    expect(report.status).toBe('failed')
    expect(report.severity).toBe('medium')
    expect(report.message).toMatch(/still throttled after \d attempts/)
    expect((await sys.services.lake.list('landing', 'linktree')).length).toBe(before)
  })

  it('an expired token is needs_auth with the login command; a truncated answer is drift; neither lands anything', async () => {
    fake.revokeAll()
    const auth = await run()
    expect(auth.status).toBe('needs_auth')
    expect(auth.message).toMatch(/Unauthorized.*npm run auth -- linktree/)
    await sys.services.credentials.save('linktree', 'default', { token: fake.issueToken(new Date(Date.now() + DAY)) })
    fake.fail({ kind: 'truncated' })
    const bad = await run()
    expect(bad.status).toBe('failed')
    expect(bad.message).toMatch(/malformed JSON/)
    expect(await sys.services.lake.list('landing', 'linktree')).toHaveLength(0)
  })
})
