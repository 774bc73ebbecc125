/** KPIs 7–9 on a small hand-built warehouse with answers worked out by hand. */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rm } from 'node:fs/promises'
import { openWarehouse, type Warehouse } from '../../lib/warehouse/db.ts'
import spotifyFollowers from '../../functions/kpi/spotify-followers.ts'
import spotifyListeners from '../../functions/kpi/spotify-listeners.ts'
import spotifyStreams from '../../functions/kpi/spotify-streams.ts'
import streamsTotal from '../../functions/kpi/streams-total.ts'
import { tempDir } from '../helpers.ts'
import { envOf } from '../kpi/warehouse.ts'

// date, artist, listeners, streams, followers (null = not reported that day)
const AUDIENCE: [string, string, number | null, number | null, number | null][] = [
  ['2025-05-01', 'ZONE A0', 100, 1000, 500],
  ['2025-05-02', 'ZONE A0', 120, 1100, 505],
  ['2025-05-03', 'ZONE A0', null, 900, null],
  ['2025-05-04', 'ZONE A0', 110, 1200, 512],
  ['2025-05-01', 'PIG1987', null, 280, 190],
  ['2025-05-02', 'PIG1987', 45, 300, 200],
  ['2025-05-04', 'PIG1987', 50, 350, null],
]

let dir: string
let wh: Warehouse
const kpis = new Map([spotifyListeners, spotifyFollowers, spotifyStreams, streamsTotal].map((k) => [k.name, k]))
const env = () => envOf(wh, { today: '2025-05-05' })
const evaluate = (name: string, q: Record<string, string | number> = { days: 'all' }) => kpis.get(name)!.evaluate(env(), q as never)

beforeAll(async () => {
  dir = await tempDir('spotify-kpi-')
  wh = await openWarehouse(path.join(dir, 'wh.sqlite'))
})
afterAll(async () => {
  await wh.close()
  await rm(dir, { recursive: true, force: true })
})

describe('Spotify KPIs', () => {
  it('are empty (null, never 0) before any Spotify data is loaded', async () => {
    for (const name of ['spotify-listeners', 'spotify-followers', 'spotify-streams']) {
      const k = await evaluate(name)
      expect([k.value, k.freshness, k.asOf]).toEqual([null, 'empty', null])
    }
  })

  describe('with data', () => {
    beforeAll(async () => {
      await wh.db
        .insertInto('spotify_audience_daily')
        .values(
          AUDIENCE.map(([date, artist, listeners, streams, followers]) => ({
            date,
            artist,
            listeners,
            streams,
            followers,
            extracted_at: '2025-05-05T06:00:00.000Z',
            run_id: 'hand-built',
          })),
        )
        .execute()
      // A distributor's Spotify streams for an overlapping day: they must never be added in.
      await wh.db
        .insertInto('streams_daily')
        .values({
          date: '2025-05-02',
          distributor: 'distrokid',
          platform: 'spotify',
          streams: 9999,
          extracted_at: '2025-05-05T06:00:00.000Z',
          run_id: 'hand-built',
        })
        .execute()
    })

    it('spotify-listeners: latest reported value per artist, never a sum across days', async () => {
      const k = await evaluate('spotify-listeners')
      expect(k.window).toEqual({ from: '2025-05-01', to: '2025-05-04' })
      expect([k.value, k.asOf, k.freshness]).toEqual([110 + 50, '2025-05-04', 'fresh'])
      expect(k.breakdown).toEqual([
        { key: 'PIG1987', value: 50, date: '2025-05-04' },
        { key: 'ZONE A0', value: 110, date: '2025-05-04' },
      ])
      // 2025-05-03 reported no listeners at all: absent from the series, not 0.
      expect(k.series).toEqual([
        { date: '2025-05-01', value: 100, 'ZONE A0': 100 },
        { date: '2025-05-02', value: 165, 'ZONE A0': 120, PIG1987: 45 },
        { date: '2025-05-04', value: 160, 'ZONE A0': 110, PIG1987: 50 },
      ])
      // Ending on a day ZONE A0 did not report: its latest is the day before.
      const earlier = await evaluate('spotify-listeners', { from: '2025-05-01', to: '2025-05-03' })
      expect(earlier.value).toBe(120 + 45)
    })

    it('spotify-followers: latest per artist; gained = last in the window − last before it (else first in it)', async () => {
      const k = await evaluate('spotify-followers')
      expect(k.value).toBe(512 + 200)
      // Nothing before 05-01: the baseline is the first figure in the window.
      expect(k.gained).toBe(12 + 10)
      expect(k.breakdown).toEqual([
        { key: 'PIG1987', value: 200, date: '2025-05-02', baseline: 190, baselineDate: '2025-05-01', gained: 10 },
        { key: 'ZONE A0', value: 512, date: '2025-05-04', baseline: 500, baselineDate: '2025-05-01', gained: 12 },
      ])
      // From 05-02 the baseline is 05-01's figure, so the gain made on 05-02 counts: 512 − 500 and 200 − 190.
      expect((await evaluate('spotify-followers', { from: '2025-05-02', to: '2025-05-04' })).gained).toBe(12 + 10)
      // One day: ZONE A0 against 05-02 (505 → 512); PIG1987 reported no followers that day and is absent.
      const single = await evaluate('spotify-followers', { from: '2025-05-04', to: '2025-05-04' })
      expect([single.value, single.gained]).toEqual([512, 7])
      expect(single.breakdown).toEqual([{ key: 'ZONE A0', value: 512, date: '2025-05-04', baseline: 505, baselineDate: '2025-05-02', gained: 7 }])
      // The very first figure with nothing before it measures no gain: null, not 0.
      const first = await evaluate('spotify-followers', { from: '2025-05-01', to: '2025-05-01' })
      expect(first.gained).toBe(null)
      expect(first.breakdown!.map((b) => [b.key, b.gained])).toEqual([
        ['PIG1987', null],
        ['ZONE A0', null],
      ])
    })

    it('spotify-streams: Spotify-only streams per artist in the window, distributor streams never added', async () => {
      const k = await evaluate('spotify-streams')
      expect(k.value).toBe(4200 + 930)
      expect(k.breakdown).toEqual([
        { key: 'ZONE A0', value: 4200, days: 4 },
        { key: 'PIG1987', value: 930, days: 3 },
      ])
      expect(k.series!.map((p) => [p.date, p.value])).toEqual([
        ['2025-05-01', 1280],
        ['2025-05-02', 1400],
        ['2025-05-03', 900],
        ['2025-05-04', 1550],
      ])
      expect((await evaluate('spotify-streams', { from: '2025-05-02', to: '2025-05-03' })).value).toBe(1100 + 900 + 300)
      expect((await evaluate('streams-total')).value).toBe(9999)
      const outside = await evaluate('spotify-streams', { from: '2025-04-01', to: '2025-04-10' })
      expect([outside.value, outside.breakdown, outside.freshness]).toEqual([null, [], 'fresh'])
    })
  })
})
