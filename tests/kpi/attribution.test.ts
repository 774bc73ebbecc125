/** attribution-lag (31): a stream series built from TikTok views 7 days earlier must be found at lag 7. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import attributionLag from '../../functions/kpi/attribution-lag.ts'
import { addDays } from '../../lib/kpi/window.ts'
import type { Warehouse } from '../../lib/warehouse/db.ts'
import { days, envOf, openTestWarehouse, putCampaigns, putInsights, putSocial, putSpotifyAudience } from './warehouse.ts'

const views = (i: number) => ((i * 37) % 11) * 100 // an irregular, repeatable pattern

let wh: Warehouse
beforeEach(async () => {
  wh = await openTestWarehouse()
  const tiktokDays = days('2025-01-01', 119) // … 2025-04-29
  await putSocial(
    wh.db,
    tiktokDays.map((date, i) => ({
      date,
      platform: 'tiktok',
      account: 'zone.a0',
      artist: 'ZONE A0',
      views: views(i),
    })),
  )
  // Streams on day d = 1000 + 10 × TikTok views on day d − 7.
  const streamDays = days('2025-03-01', 60)
  await putSpotifyAudience(
    wh.db,
    streamDays.map((date) => ({
      date,
      artist: 'ZONE A0',
      streams: 1000 + 10 * views(tiktokDays.indexOf(addDays(date, -7))),
    })),
  )
  await putCampaigns(wh.db, [{ id: 'c3', name: 'THE SOURCE - Streaming' }])
  await putInsights(wh.db, [
    { date: '2025-03-01', campaign: 'c3', cents: 1000, impressions: 1, clicks: 0 },
    { date: '2025-04-20', campaign: 'c3', cents: 3000, impressions: 1, clicks: 0 },
  ])
})
afterEach(async () => {
  vi.unstubAllEnvs()
  await wh.close()
})

describe('attribution-lag', () => {
  it('finds the lag at which TikTok views lead streams, and says it is an estimate', async () => {
    const r = await attributionLag.evaluate(envOf(wh), { from: '2025-03-01', to: '2025-04-29' })
    expect(r.estimated).toBe(true)
    const tiktok = r.breakdown!.find((b) => b.key === 'ZONE A0 · tiktok')!
    expect(tiktok.lag).toBe(7)
    expect(tiktok.value).toBeCloseTo(1, 10)
    expect(tiktok.days).toBe(60)
    expect((tiktok.lags as { lag: number }[]).map((l) => l.lag)).toEqual(Array.from({ length: 57 }, (_, i) => i))
    expect(r.best).toEqual({ artist: 'ZONE A0', channel: 'tiktok', lag: 7 })
    // Meta: days inside Meta's reported range (03-01 … 04-20) without spend are 0, not missing.
    const meta = r.breakdown!.find((b) => b.key === 'ZONE A0 · meta')!
    expect(meta.value).not.toBeNull()
    expect((meta.lags as { lag: number; days: number }[])[0].days).toBe(51)
  })

  it('is null with too few overlapping days, and says how many are needed', async () => {
    const r = await attributionLag.evaluate(envOf(wh), { from: '2025-04-10', to: '2025-04-29' })
    expect(r.value).toBeNull()
    expect(r.breakdown!.every((b) => b.value === null)).toBe(true)
    expect(r.note).toMatch(/at least 28 days/)
    vi.stubEnv('BEDROT_ATTRIBUTION_MIN_DAYS', '20')
    const enough = await attributionLag.evaluate(envOf(wh), { from: '2025-04-10', to: '2025-04-29' })
    expect(enough.breakdown!.find((b) => b.key === 'ZONE A0 · tiktok')!.lag).toBe(7)
  })
})
