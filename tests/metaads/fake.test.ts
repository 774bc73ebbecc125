/** The fake Graph API on its own, over HTTP: each behaviour the extractor must survive, with its expected answer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeMeta } from '../../functions/metaads/fake.ts'
import { demoCampaigns } from '../../functions/metaads/fake-data.ts'
import { usage } from '../../functions/metaads/graph.ts'
import { serveFake } from '../../lib/fakes/serve.ts'

const TODAY = '2025-06-01'
let clock = Date.parse(`${TODAY}T12:00:00Z`)
const fake = createFakeMeta({ campaigns: demoCampaigns(TODAY, 120), account: '42', pageSize: 10, emptyPage: true, quotaPerHour: 30, now: () => clock })
let url: string
let close: () => Promise<void>
const token = fake.issueToken(3_600_000)
const range = encodeURIComponent(JSON.stringify({ since: '2025-05-01', until: '2025-05-31' }))
const insights = (v = 'v25.0') => `${url}/${v}/act_42/insights?level=campaign&time_increment=1&time_range=${range}&limit=500`
const get = (u: string, t = token) => fetch(u, { headers: { Authorization: `Bearer ${t}` } })

beforeAll(async () => {
  const s = await serveFake(fake.app)
  url = s.url
  close = s.close
})
afterAll(() => close())

describe('fake Meta Graph API', () => {
  it('success and paging: string numbers, one day per row, next links (echoing the token) until absent, one empty page', async () => {
    const rows: any[] = []
    let next: string | undefined = insights()
    const sizes: number[] = []
    while (next) {
      const res = await fetch(next, { headers: { Authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
      expect(usage(res.headers).pct).toBeGreaterThan(0)
      const body: any = await res.json()
      sizes.push(body.data.length)
      rows.push(...body.data)
      next = body.paging.next
      if (next) expect(new URL(next).searchParams.get('access_token')).toBe(token)
    }
    expect(sizes[1]).toBe(0)
    expect(sizes.length).toBeGreaterThan(3)
    expect(rows.length).toBeGreaterThan(20)
    for (const r of rows) {
      expect(r.date_start).toBe(r.date_stop)
      expect(typeof r.spend).toBe('string')
      expect(r.impressions).toMatch(/^\d+$/)
      expect(r.campaign_id).toMatch(/^\d{18}$/)
    }
    const model = demoCampaigns(TODAY, 120).flatMap((k) => [...k.daily.keys()].filter((d) => d >= '2025-05-01' && d <= '2025-05-31'))
    expect(rows.length).toBe(model.length) // days without delivery are absent, not 0
  })

  it('a retired Graph version answers code 2635', async () => {
    const res = await get(insights('v18.0'))
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatchObject({ code: 2635, type: 'OAuthException' })
  })

  it('an unknown token answers 190; a token past its expiry on the fake clock answers 190/463', async () => {
    expect((await (await get(insights(), 'fake-meta-token-unknown')).json()).error).toMatchObject({ code: 190 })
    const short = fake.issueToken(60_000)
    expect((await get(insights(), short)).status).toBe(200)
    clock += 120_000
    const res = await get(insights(), short)
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatchObject({ code: 190, error_subcode: 463 })
  })

  it('queued throttling: 17 with usage at 100 %, 80000 with a regain time in the BUC header', async () => {
    fake.fail('throttle17', 'throttle80000')
    const a = await get(insights())
    expect((await a.json()).error).toMatchObject({ code: 17, error_subcode: 2446079 })
    expect(usage(a.headers).pct).toBe(100)
    const b = await get(insights())
    expect((await b.json()).error).toMatchObject({ code: 80000 })
    expect(usage(b.headers).regainMs).toBe(5 * 60_000)
  })

  it('a malformed (truncated) body with status 200', async () => {
    fake.fail('malformed')
    const res = await get(insights())
    expect(res.status).toBe(200)
    await expect(res.json()).rejects.toThrow()
  })

  it('its own hourly quota: beyond it, code 80000 until the hour has passed', async () => {
    clock += 2 * 3_600_000
    const t = fake.issueToken(10 * 3_600_000)
    let throttled: Response | null = null
    for (let i = 0; i < 40 && !throttled; i++) {
      const res = await get(`${url}/v25.0/act_42/campaigns?limit=500`, t)
      if (res.status !== 200) throttled = res
    }
    expect(throttled).not.toBeNull()
    expect((await throttled!.json()).error.code).toBe(80000)
    expect(usage(throttled!.headers).regainMs).toBeGreaterThan(0)
    clock += 3_600_001
    expect((await get(`${url}/v25.0/act_42/campaigns?limit=500`, t)).status).toBe(200)
  })
})
