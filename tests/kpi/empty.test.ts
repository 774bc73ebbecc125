/** Every KPI of this set answers "not reported yet" on an empty warehouse, and is served by the app. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KpiDefinition } from '../../lib/kpi/define.ts'
import type { Warehouse } from '../../lib/warehouse/db.ts'
import { makeSystem } from '../helpers.ts'
import { envOf, openTestWarehouse, putStreams } from './warehouse.ts'

const NAMES = [
  'streams-by-distributor',
  'streams-growth',
  'streams-daily-average',
  'streams-day-over-day',
  'revenue-by-month',
  'revenue-by-artist',
  'revenue-by-track',
  'revenue-by-country',
  'revenue-per-stream',
  'payment-lag',
  'revenue-expected-vs-actual',
  'tiktok-views',
  'tiktok-engagement',
  'tiktok-followers',
  'instagram-reach',
  'youtube-views',
  'linktree-clicks',
  'ad-spend',
  'roas',
  'cost-per-follower',
  'email-audience',
  'goals',
  'alerts',
  'attribution-lag',
]

let wh: Warehouse
beforeAll(async () => {
  wh = await openTestWarehouse()
})
afterAll(async () => wh.close())

describe('on an empty warehouse', () => {
  it.each(NAMES)('%s is null with freshness empty and a note, not 0 and not an error', async (name) => {
    const def = ((await import(`../../functions/kpi/${name}.ts`)) as { default: KpiDefinition }).default
    expect(def.name).toBe(name)
    const r = await def.evaluate(envOf(wh), {})
    expect(r).toMatchObject({ name, value: null, freshness: 'empty', asOf: null })
    expect(r.note).toMatch(/no data/)
  })
})

describe('with some sources loaded', () => {
  it('names only the sources that have loaded nothing', async () => {
    const own = await openTestWarehouse()
    try {
      await putStreams(own.db, [
        ['2025-05-30', 'distrokid', 'spotify', 100],
        ['2025-05-30', 'toolost', 'spotify', 40],
      ])
      const roas = ((await import('../../functions/kpi/roas.ts')) as { default: KpiDefinition }).default
      const r = await roas.evaluate(envOf(own), {})
      expect(r).toMatchObject({ value: null, freshness: 'empty', note: 'no data from metaads, spotify yet' })
    } finally {
      await own.close()
    }
  })
})

describe('through the app', () => {
  it('finds every KPI by its file name and serves the envelope', async () => {
    const sys = await makeSystem()
    try {
      for (const name of NAMES) {
        const res = await sys.app.request(`/kpi/${name}?days=7`)
        expect(res.status, name).toBe(200)
        expect(await res.json()).toMatchObject({ name, value: null, freshness: 'empty' })
      }
    } finally {
      await sys.close()
    }
  })
})
