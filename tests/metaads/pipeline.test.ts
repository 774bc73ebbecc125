/**
 * The Meta source end to end against its fake over HTTP: extract → clean → load → KPIs, then one test
 * per unkind behaviour (throttling, an expired token, a malformed payload), restatements, re-runs,
 * and a fake token that must appear in no log, lake file or response.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createFakeMeta } from '../../functions/metaads/fake.ts'
import { addDays, demoCampaigns } from '../../functions/metaads/fake-data.ts'
import { getState, setState } from '../../lib/warehouse/state.ts'
import { makeSystem } from '../helpers.ts'
import { serveFake } from '../../lib/fakes/serve.ts'

const TODAY = new Date().toISOString().slice(0, 10)
const ACCOUNT = '1000000000042'
const campaigns = demoCampaigns(TODAY, 120)
const fake = createFakeMeta({ campaigns, account: ACCOUNT, pageSize: 20, emptyPage: true, quotaPerHour: 10_000, regainMinutes: 30, stallMs: 20_000 })
let server: { url: string; close(): Promise<void> }
let sys: Awaited<ReturnType<typeof makeSystem>>
let token: string

const run = () => sys.runner.run({ source: 'metaads', trigger: 'cli' })
const sum = async () => {
  const r = await sys.services.wh.db
    .selectFrom('ad_insights_daily')
    .select((eb) => [eb.fn.countAll<number>().as('rows'), eb.fn.sum<number>('spend_cents').as('cents')])
    .executeTakeFirstOrThrow()
  return { rows: Number(r.rows), cents: Number(r.cents) }
}
/** What the fake holds for [since, today]. */
const model = (since: string) => {
  let rows = 0
  let cents = 0
  for (const k of campaigns) {
    for (const [d, m] of k.daily) {
      if (d < since || d > TODAY) continue
      rows++
      cents += m.spendCents
    }
  }
  return { rows, cents }
}
async function* walk(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) yield* walk(p)
    else yield p
  }
}

beforeAll(async () => {
  server = await serveFake(fake.app)
  sys = await makeSystem({ META_GRAPH_BASE_URL: server.url, META_BACKFILL_DAYS: '90', META_PACE_MS: '5' })
  token = fake.issueToken()
  await sys.services.credentials.save('metaads', 'default', { token })
})
afterAll(async () => {
  await sys.close()
  await server.close()
})
beforeEach(() => {
  fake.log.length = 0
})

describe('Meta source against its fake', () => {
  it('first run: a 90-day backfill in chunks, paged, every campaign-day with delivery loaded exactly', async () => {
    const r = await run()
    expect(r.status, r.message).toBe('ok')
    expect(r.steps.extract?.message).toMatch(/90-day backfill/)
    expect(fake.log.filter((l) => l.startsWith('insights')).length).toBeGreaterThan(3)
    expect(await sum()).toEqual(model(addDays(TODAY, -89)))
    const camps = await sys.services.wh.db.selectFrom('ad_campaigns').select(['campaign_id', 'name', 'artist']).orderBy('campaign_id').execute()
    expect(camps.map((c) => [c.name, c.artist])).toEqual(
      campaigns.map((k) => [k.name, { 1: 'PIG1987', 2: 'PIG1987', 3: 'PIG1987', 4: 'ZONE A0', 5: 'ZONE A0', 6: null }[Number(k.id.slice(-1))]]),
    )
    const k = await (await sys.app.request('/kpi/ad-spend?days=all')).json()
    expect(Math.round(k.value * 100)).toBe(model(addDays(TODAY, -89)).cents)
    // The spend KPIs that join other sources see the same spend, booked per artist by the campaign-name rule.
    const artistOf = (id: string) => ({ 1: 'PIG1987', 2: 'PIG1987', 3: 'PIG1987', 4: 'ZONE A0', 5: 'ZONE A0' })[Number(id.slice(-1))] ?? 'unattributed'
    const want = new Map<string, number>()
    for (const c of campaigns)
      for (const [d, m] of c.daily) if (d >= addDays(TODAY, -89)) want.set(artistOf(c.id), (want.get(artistOf(c.id)) ?? 0) + m.spendCents)
    const cpf = await (await sys.app.request('/kpi/cost-per-follower?days=all')).json()
    const got = Object.fromEntries(cpf.breakdown.map((b: any) => [b.key, Math.round(b.spend * 100)]))
    expect(got).toEqual(Object.fromEntries([...want].filter(([, c]) => c > 0)))
  })

  it('later runs re-read the last 28 days; a restated day is updated, a day restated to no delivery disappears', async () => {
    const busy = campaigns.find((c) => [...c.daily.keys()].filter((d) => d >= addDays(TODAY, -20)).length >= 2)!
    const [changed, dropped] = [...busy.daily.keys()].filter((d) => d >= addDays(TODAY, -20)).sort()
    fake.restate(busy.id, changed, { spendCents: 12_345, impressions: 1000, clicks: 10, reach: 900 })
    fake.restate(busy.id, dropped, null)
    const r = await run()
    expect(r.status, r.message).toBe('ok')
    expect(r.steps.extract?.message).toMatch(/last 28 days/)
    expect([...new Set(fake.log.filter((l) => l.startsWith('insights')))]).toEqual([`insights {"since":"${addDays(TODAY, -27)}","until":"${TODAY}"}`])
    const day = await sys.services.wh.db
      .selectFrom('ad_insights_daily')
      .selectAll()
      .where('campaign_id', '=', busy.id)
      .where('date', 'in', [changed, dropped])
      .execute()
    expect(day.map((d) => [d.date, d.spend_cents])).toEqual([[changed, 12_345]])
    expect(await sum()).toEqual(model(addDays(TODAY, -89)))
  })

  it('a re-run with nothing new changes no row', async () => {
    const r = await run()
    expect(r.status).toBe('ok')
    expect(r.steps.load?.status).toBe('skipped')
    expect(await sum()).toEqual(model(addDays(TODAY, -89)))
  })

  it('after missed runs, the re-read starts 28 days before the last day read, not 28 days before today', async () => {
    await setState(sys.services.wh.db, 'metaads', 'insights_read_through', addDays(TODAY, -40))
    const r = await run()
    expect(r.status, r.message).toBe('ok')
    const first = fake.log.find((l) => l.startsWith('insights'))!
    expect(JSON.parse(first.slice('insights '.length)).since).toBe(addDays(TODAY, -67))
    expect(await getState(sys.services.wh.db, 'metaads', 'insights_read_through')).toBe(TODAY)
    expect(await sum()).toEqual(model(addDays(TODAY, -89)))
  })

  it('throttling with code 17 (no regain time) is retried with backoff and the run succeeds', async () => {
    fake.fail('throttle17', 'throttle17')
    const r = await run()
    expect(r.status, r.message).toBe('ok')
    expect(fake.log.length).toBeGreaterThan(5)
  })

  it('a stalled response times out and is asked again; the run succeeds', async () => {
    fake.fail('stall')
    const r = await run()
    expect(r.status, r.message).toBe('ok')
    expect(fake.log[0]).toBe(fake.log[1])
  })

  it('code 80000 asking for 30 minutes fails at once (medium), without hammering, and lands nothing', async () => {
    const landed = (await sys.services.lake.list('landing', 'metaads')).length
    fake.fail('throttle80000')
    const r = await run()
    expect(r.status).toBe('failed')
    expect(r.severity).toBe('medium')
    expect(r.message).toMatch(/Graph error 80000.*giving up until the next run/s)
    expect(fake.log.length).toBe(1)
    expect((await sys.services.lake.list('landing', 'metaads')).length).toBe(landed)
  })

  it('a malformed payload fails (medium) with a precise reason and lands nothing', async () => {
    const landed = (await sys.services.lake.list('landing', 'metaads')).length
    fake.fail('malformed')
    const r = await run()
    expect(r.status).toBe('failed')
    expect(r.severity).toBe('medium')
    expect(r.message).toMatch(/malformed JSON from \/v25\.0\/me\/adaccounts/)
    expect((await sys.services.lake.list('landing', 'metaads')).length).toBe(landed)
  })

  it('the recognisable fake token is in no log line, lake file or HTTP response', async () => {
    const bodies = await Promise.all(
      ['/runs?source=metaads', '/health', '/kpi/ad-spend?days=all', '/auth/status'].map(async (p) => (await sys.app.request(p)).text()),
    )
    for (const b of bodies) expect(b).not.toContain(token)
    let files = 0
    for await (const f of walk(sys.config.dataDir)) {
      files++
      const text = await readFile(f, 'latin1')
      expect(text.includes(token), f).toBe(false)
      expect(text.includes('fake-meta-token'), f).toBe(false)
    }
    expect(files).toBeGreaterThan(10)
  })

  it('an expired token (code 190/463) is needs_auth with the command to run, and nothing downstream runs', async () => {
    fake.fail('expired')
    const r = await run()
    expect(r.status).toBe('needs_auth')
    expect(r.message).toMatch(/Graph error 190\/463/)
    expect(r.message).toContain('npm run auth -- metaads')
    expect(r.steps.clean).toBeUndefined()
    // The token is dead on the fake's clock from now on.
    expect((await run()).status).toBe('needs_auth')
  })

  it('a fresh token (what `npm run auth -- metaads` stores from the paste) makes the next run work again', async () => {
    await sys.services.credentials.save('metaads', 'default', { token: fake.issueToken() })
    expect(await sys.services.credentials.status('metaads', 'default')).toMatchObject({ status: 'valid', daysLeft: 59 })
    expect((await run()).status).toBe('ok')
  })
})
