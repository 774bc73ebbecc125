/**
 * Other exports in the real formats: dumps at campaign and ad-set grain, a campaign only the older dump
 * has, an unquoted 18-digit id, a bad amount, and a daily Graph response — each through import →
 * clean → load → KPI, with the rows that cannot be trusted quarantined rather than guessed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFiles } from '../../lib/importer.ts'
import { makeSystem } from '../helpers.ts'

const C1 = '120200000000000001'
const C2 = '120200000000000002'
const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v, null, 2))
const campaigns = (status: string) =>
  enc([
    { id: C1, name: 'PIG1987 - THE STATE OF THE WORLD - BROAD', status, objective: 'OUTCOME_ENGAGEMENT' },
    { id: C2, name: 'IWARY - BROAD', status: 'PAUSED', objective: 'OUTCOME_ENGAGEMENT' },
  ])

let sys: Awaited<ReturnType<typeof makeSystem>>
const put = async (files: { name: string; bytes: Uint8Array }[]) => {
  await importFiles(sys.services, sys.runner.registry, 'metaads', files)
  return sys.runner.run({ source: 'metaads', skipExtract: true, trigger: 'import' })
}
const kpi = async () => (await sys.app.request('/kpi/ad-spend?days=all')).json() as Promise<any>

beforeAll(async () => {
  sys = await makeSystem()
})
afterAll(() => sys.close())

describe('Meta exports through import', () => {
  it('the newest snapshot supersedes per campaign; a campaign only an older dump has keeps that dump', async () => {
    const older = await put([
      { name: '20250101_000000/campaigns.json', bytes: campaigns('ACTIVE') },
      {
        name: '20250101_000000/insights.json',
        bytes: enc([
          { campaign_id: C1, date_start: '2024-12-01', date_stop: '2025-01-01', impressions: '1000', clicks: '10', spend: '10', reach: '900' },
          { campaign_id: C2, date_start: '2024-12-01', date_stop: '2025-01-01', impressions: '500', clicks: '5', spend: '5.5', reach: '400' },
        ]),
      },
    ])
    expect(older.status, older.message).toBe('ok')
    // The ad-set id of the second row is an unquoted JSON number above 2^53; the third row's spend has 3 decimals.
    const adsets = `[
  {"campaign_id": "${C1}", "campaign_name": "PIG1987 - THE STATE OF THE WORLD - BROAD", "adset_id": "120200000000000011", "adset_name": "AD 1", "spend": "7", "impressions": "700", "clicks": "7", "date_start": "2024-12-01", "date_stop": "2025-01-02"},
  {"campaign_id": "${C1}", "campaign_name": "PIG1987 - THE STATE OF THE WORLD - BROAD", "adset_id": 120200000000000012, "adset_name": "AD 2", "spend": "4.25", "impressions": "400", "clicks": "4", "date_start": "2024-12-01", "date_stop": "2025-01-02"},
  {"campaign_id": "${C1}", "adset_id": "120200000000000013", "spend": "1.234", "impressions": "1", "clicks": "0", "date_start": "2024-12-01", "date_stop": "2025-01-02"}
]`
    const newer = await put([
      { name: 'meta_ads_dump_20250102_000000/campaigns.json', bytes: campaigns('PAUSED') },
      { name: 'meta_ads_dump_20250102_000000/insights.json', bytes: enc(adsets) },
    ])
    expect(newer.steps.clean).toMatchObject({ status: 'ok', rowsQuarantined: 1 })
    const q = await sys.services.wh.db.selectFrom('quarantine').select('reason').where('source', '=', 'metaads').execute()
    expect(q.map((r) => r.reason)).toEqual([expect.stringMatching(/spend: not an amount with at most 2 decimals: "1.234"/)])

    const k = await kpi()
    expect(k.lifetime).toMatchObject({ value: 16.75, impressions: 1600, clicks: 16, campaigns: 2 })
    expect(k.lifetimeByCampaign.map((c: any) => [c.campaignId, c.value, c.rows, c.artist, c.status])).toEqual([
      [C1, 11.25, 2, 'PIG1987', 'PAUSED'],
      [C2, 5.5, 1, 'PIG1987', 'PAUSED'], // IWARY is PIG1987's track, not ZONE A0's (seed_ops §1.8)
    ])
    const ids = await sys.services.wh.db.selectFrom('ad_snapshots').select('object_id').where('level', '=', 'adset').orderBy('object_id').execute()
    expect(ids.map((r) => r.object_id)).toEqual(['120200000000000011', '120200000000000012'])
  })

  it('a daily Graph response: one row per campaign and day; a multi-day row is not taken for a day', async () => {
    const r = await put([
      {
        name: 'insights_page_20250103_000000.json',
        bytes: enc({
          data: [
            {
              campaign_id: C1,
              campaign_name: 'x',
              spend: '3.5',
              impressions: '300',
              clicks: '3',
              reach: '250',
              date_start: '2025-01-02',
              date_stop: '2025-01-02',
            },
            { campaign_id: C2, spend: '1', impressions: '100', clicks: '1', date_start: '2025-01-02', date_stop: '2025-01-02' },
            { campaign_id: C2, spend: '9', impressions: '900', clicks: '9', date_start: '2024-12-01', date_stop: '2025-01-02' },
          ],
          paging: { cursors: { before: 'MAZDZD', after: 'MjQZD' } },
        }),
      },
    ])
    expect(r.steps.clean).toMatchObject({ status: 'ok', rowsQuarantined: 1 })
    const k = await kpi()
    expect(k.value).toBe(4.5)
    expect(k.breakdown.map((b: any) => [b.campaignId, b.value, b.days])).toEqual([
      [C1, 3.5, 1],
      [C2, 1, 1],
    ])
  })

  it('a file that is no Meta export is refused before anything lands', async () => {
    await expect(importFiles(sys.services, sys.runner.registry, 'metaads', [{ name: 'x.json', bytes: enc({ streams: [] }) }])).rejects.toThrow(
      /matches no known export/,
    )
  })
})
