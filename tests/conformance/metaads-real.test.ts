/**
 * Conformance on the real Meta dumps (read in place from REAL_FIXTURES_DIR) through the real CLI path:
 * import → pipeline --skip-extract → kpi. Figures from ../shared/fixtures/real/README.md §5: the
 * latest snapshot supersedes the earlier one per campaign; snapshots are never summed.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envFor, hasReal, lastJson, REAL, runCli, tempDir } from '../helpers.ts'
import { loadConfig } from '../../lib/config.ts'
import { openServices, type Services } from '../../lib/context.ts'

const DUMPS = ['20250526_180701', 'meta_ads_dump_20250527_123754']

// README §5, per campaign in the latest snapshot: id, name, status, spend, impressions, clicks, ad-set rows.
const CAMPAIGNS: [string, string, string, number, number, number, number][] = [
  ['120218209525770075', 'ANOVUS - Streaming - Copy 2', 'PAUSED', 259.37, 278473, 3387, 1],
  ['120214961689440075', 'PIG1987 - DYSMORPHIA - Streaming', 'PAUSED', 252.99, 2294817, 7828, 1],
  ['120215277232180075', 'ENGAGEMENT PROTOCOL - Streaming - Copy', 'PAUSED', 241.34, 550563, 5010, 1],
  ['120223459844420075', 'THE SOURCE - Streaming', 'ACTIVE', 229.72, 226021, 2602, 1],
  ['120218209686890075', 'PIG1987 - HEAVEN NIGHTCLUB - Streaming - Copy', 'PAUSED', 223.3, 740949, 3997, 1],
  ['120222355643880075', 'PIG1987 - TRANSFORMER ARCHITECTURE - STREAMING', 'PAUSED', 207.97, 185902, 3239, 1],
  ['120214803933120075', 'THE FEW THAT REMAINED - Streaming', 'PAUSED', 129.2, 762562, 3169, 1],
  ['120218067399650075', 'ZONE A0 ANOVUS STREAMING CAMPAIGN', 'PAUSED', 89.21, 67760, 467, 2],
  ['120217792461870075', 'PIG1987 - HEAVEN NIGHTCLUB', 'PAUSED', 85.07, 61987, 490, 2],
  ['120224906903540075', 'PIG1987 - THE STATE OF THE WORLD - BROAD SPOTIFY', 'ACTIVE', 55.55, 26717, 280, 5],
  ['120224907266750075', 'PIG1987 - THE STATE OF THE WORLD - BROAD', 'ACTIVE', 40.46, 22323, 245, 5],
  ['120224903624070075', 'PIG1987 - THE STATE OF THE WORLD - TECHNO', 'PAUSED', 40.07, 21899, 206, 5],
  ['120224906419890075', 'PIG1987 - THE STATE OF THE WORLD - HARD TRANCE', 'PAUSED', 34.61, 15864, 153, 5],
]

describe.skipIf(!hasReal)('Meta real dumps through import → pipeline → KPI', () => {
  let env: Record<string, string>
  let services: Services
  let first: any
  const files = async (dump: string) => (await readdir(path.join(REAL, 'metaads', dump))).sort().map((f) => path.join(REAL, 'metaads', dump, f))
  const adSpend = async () => {
    const r = await runCli('kpi', ['ad-spend', '--days', 'all'], env)
    expect(r.code, r.stderr).toBe(0)
    return lastJson(r.stdout)
  }

  beforeAll(async () => {
    env = envFor(await tempDir('metaads-real-'))
    // Newest first on purpose: the snapshot time comes from the folder names, not the order of arrival.
    const r = await runCli('import', ['metaads', ...(await files(DUMPS[1])), ...(await files(DUMPS[0]))], env)
    expect(r.code, r.stderr).toBe(0)
    const out = lastJson(r.stdout)
    expect(out.landed.map((l: any) => `${path.basename(path.dirname(l.file))}/${path.basename(l.file)} ${l.dataset} ${l.extractedAt}`)).toEqual([
      'meta_ads_dump_20250527_123754/ads.json ads 2025-05-27T12:37:54.000Z',
      'meta_ads_dump_20250527_123754/adsets.json adsets 2025-05-27T12:37:54.000Z',
      'meta_ads_dump_20250527_123754/campaigns.json campaigns 2025-05-27T12:37:54.000Z',
      'meta_ads_dump_20250527_123754/insights.json insights_snapshot 2025-05-27T12:37:54.000Z',
      '20250526_180701/ads.json ads 2025-05-26T18:07:01.000Z',
      '20250526_180701/adsets.json adsets 2025-05-26T18:07:01.000Z',
      '20250526_180701/campaigns.json campaigns 2025-05-26T18:07:01.000Z',
      '20250526_180701/insights.json insights_snapshot 2025-05-26T18:07:01.000Z',
    ])
    expect(out.run.steps.clean).toMatchObject({ status: 'ok', filesOut: 8, rowsQuarantined: 0 })
    const p = await runCli('pipeline', ['metaads', '--skip-extract'], env)
    expect(p.code, p.stderr).toBe(0)
    services = await openServices(loadConfig(env))
    first = await adSpend()
  }, 180_000)
  afterAll(() => services?.close())

  it('latest snapshot: Σ spend 1,888.86, impressions 5,255,837, clicks 31,073 over 13 campaigns', async () => {
    const k = first
    expect(k.lifetime).toEqual({ value: 1888.86, impressions: 5255837, clicks: 31073, campaigns: 13, newestSnapshot: '2025-05-27T12:37:54.000Z' })
    // No daily insights in a dump: the daily figures say so instead of passing a lifetime off as a day.
    expect(k.value).toBeNull()
  })

  it('per campaign, ad-set rows rolled up, status from the same dump', async () => {
    const k = first
    expect(k.lifetimeByCampaign.map((c: any) => [c.campaignId, c.key, c.status, c.value, c.impressions, c.clicks, c.rows])).toEqual(CAMPAIGNS)
  })

  it('the campaign-name rule books the latest spend to the two artists; what it cannot read stays unattributed', async () => {
    const byArtist = new Map<string | null, number>()
    for (const c of first.lifetimeByCampaign) byArtist.set(c.artist, (byArtist.get(c.artist) ?? 0) + Math.round(c.value * 100))
    expect(Object.fromEntries([...byArtist].map(([a, cents]) => [String(a), cents]))).toEqual({ PIG1987: 94002, 'ZONE A0': 70750, null: 24134 })
  })

  it('both snapshots are stored, exactly, and never summed', async () => {
    const { db } = services.wh
    const totals = await db
      .selectFrom('ad_snapshots')
      .select([
        'snapshot_at',
        'level',
        (eb) => eb.fn.countAll<number>().as('rows'),
        (eb) => eb.fn.sum<number>('spend_cents').as('cents'),
        (eb) => eb.fn.sum<number>('impressions').as('impressions'),
        (eb) => eb.fn.sum<number>('clicks').as('clicks'),
      ])
      .groupBy(['snapshot_at', 'level'])
      .orderBy('snapshot_at')
      .execute()
    expect(totals.map((t) => [t.snapshot_at, t.level, Number(t.rows), Number(t.cents), Number(t.impressions), Number(t.clicks)])).toEqual([
      ['2025-05-26T18:07:01.000Z', 'campaign', 13, 187384, 5245694, 30941],
      ['2025-05-27T12:37:54.000Z', 'adset', 31, 188886, 5255837, 31073],
    ])
    const ids = await db.selectFrom('ad_campaigns').select(['campaign_id', 'status', 'artist']).orderBy('campaign_id').execute()
    expect(ids).toHaveLength(13)
    expect(ids.every((c) => /^\d{18}$/.test(c.campaign_id))).toBe(true)
    // Status changed between the dumps; the snapshot keeps what its own dump said.
    const techno = await db
      .selectFrom('ad_snapshots')
      .select(['snapshot_at', 'status'])
      .where('object_id', '=', '120224903624070075')
      .orderBy('snapshot_at')
      .execute()
    expect(techno).toEqual([{ snapshot_at: '2025-05-26T18:07:01.000Z', status: 'ACTIVE' }])
    expect(ids.find((c) => c.campaign_id === '120224903624070075')).toMatchObject({ status: 'PAUSED', artist: 'PIG1987' })
  })

  it('re-importing the same dumps changes nothing', async () => {
    const before = first
    const r = await runCli('import', ['metaads', ...(await files(DUMPS[0])), ...(await files(DUMPS[1]))], env)
    expect(r.code, r.stderr).toBe(0)
    expect(lastJson(r.stdout).run.steps.clean).toMatchObject({ filesOut: 0 })
    const after = await adSpend()
    expect(after.lifetimeByCampaign).toEqual(before.lifetimeByCampaign)
    expect(after.lifetime).toEqual(before.lifetime)
  })
})
