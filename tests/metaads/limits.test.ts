/**
 * Meta's limits the extractor adapts to rather than fails on. Proactive pacing: it reads the usage
 * headers after every page and pauses once they pass 75 %, instead of running into the throttle (a fake
 * with a 10-call hourly quota and nine calls to make). Too much data per request (code 1, HTTP 500):
 * it asks again for halves of the range.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeMeta } from '../../functions/metaads/fake.ts'
import { addDays, demoCampaigns, type FakeCampaign, metaId } from '../../functions/metaads/fake-data.ts'
import { serveFake } from '../../lib/fakes/serve.ts'
import { makeSystem } from '../helpers.ts'

const TODAY = new Date().toISOString().slice(0, 10)
const one: FakeCampaign = {
  id: metaId(7),
  name: 'THE SOURCE - Streaming',
  status: 'ACTIVE',
  objective: 'OUTCOME_ENGAGEMENT',
  adsets: [1, 2].map((k) => ({ id: metaId(700 + k), name: `AD ${k}`, status: 'ACTIVE', dailyBudgetCents: 500, ads: [] })),
  daily: new Map(Array.from({ length: 10 }, (_, i) => [addDays(TODAY, -i), { spendCents: 100 + i, impressions: 1000, clicks: 10, reach: 900 }])),
}
// 1 ad-account lookup + campaigns + ad sets + ads + 5 insights pages of 2 rows = 9 calls.
const fake = createFakeMeta({ campaigns: [one], account: '77', pageSize: 2, quotaPerHour: 10 })
let server: { url: string; close(): Promise<void> }
let sys: Awaited<ReturnType<typeof makeSystem>>

beforeAll(async () => {
  server = await serveFake(fake.app)
  sys = await makeSystem({ META_GRAPH_BASE_URL: server.url, META_BACKFILL_DAYS: '10', META_PACE_MS: '20' })
  await sys.services.credentials.save('metaads', 'default', { token: fake.issueToken() })
})
afterAll(async () => {
  await sys.close()
  await server.close()
})

it('pauses when the usage headers pass 75 %, and finishes under the quota', async () => {
  const r = await sys.runner.run({ source: 'metaads', trigger: 'cli' })
  expect(r.status, r.message).toBe('ok')
  expect(fake.log).toHaveLength(9)
  const log = await readFile(path.join(sys.config.logDir, 'pipeline.jsonl'), 'utf8')
  const paced = log
    .split('\n')
    .filter((l) => l.includes('Meta usage high: pacing'))
    .map((l) => JSON.parse(l))
  expect(paced.map((p) => p.usagePct)).toEqual([80])
  const spend = await sys.services.wh.db
    .selectFrom('ad_insights_daily')
    .select((eb) => eb.fn.sum<number>('spend_cents').as('c'))
    .executeTakeFirstOrThrow()
  expect(Number(spend.c)).toBe(Array.from({ length: 10 }, (_, i) => 100 + i).reduce((a, b) => a + b, 0))
})

describe('too much data per request', () => {
  const campaigns = demoCampaigns(TODAY, 120)
  const picky = createFakeMeta({ campaigns, account: '78', pageSize: 50, maxInsightDays: 10 })
  let srv: { url: string; close(): Promise<void> }
  let s2: Awaited<ReturnType<typeof makeSystem>>
  beforeAll(async () => {
    srv = await serveFake(picky.app)
    s2 = await makeSystem({ META_GRAPH_BASE_URL: srv.url, META_BACKFILL_DAYS: '31', META_PACE_MS: '5' })
    await s2.services.credentials.save('metaads', 'default', { token: picky.issueToken() })
  })
  afterAll(async () => {
    await s2.close()
    await srv.close()
  })

  it('code 1 "reduce the amount of data" halves the range until Meta answers; every day arrives', async () => {
    const r = await s2.runner.run({ source: 'metaads', trigger: 'cli' })
    expect(r.status, r.message).toBe('ok')
    const spans = [...new Set(picky.log.filter((l) => l.startsWith('insights')))].map((l) => {
      const { since, until } = JSON.parse(l.slice('insights '.length))
      return Math.round((Date.parse(until) - Date.parse(since)) / 86_400_000) + 1
    })
    expect(spans).toEqual([31, 16, 8, 8, 15, 8, 7])
    let cents = 0
    for (const c of campaigns) for (const [d, m] of c.daily) if (d >= addDays(TODAY, -30)) cents += m.spendCents
    const got = await s2.services.wh.db
      .selectFrom('ad_insights_daily')
      .select((eb) => eb.fn.sum<number>('spend_cents').as('c'))
      .executeTakeFirstOrThrow()
    expect(Number(got.c)).toBe(cents)
  })
})
