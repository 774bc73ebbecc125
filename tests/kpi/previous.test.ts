/** "Change vs the previous period" on the streams and revenue cards, worked out by hand. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import revenueTotal from '../../functions/kpi/revenue-total.ts'
import streamsTotal from '../../functions/kpi/streams-total.ts'
import type { Warehouse } from '../../lib/warehouse/db.ts'
import { days, envOf, openTestWarehouse, putLedger, putStreams } from './warehouse.ts'

let wh: Warehouse
beforeEach(async () => {
  wh = await openTestWarehouse()
})
afterEach(() => wh.close())

describe('previous period', () => {
  it('streams-total: the equal-length window just before, and the relative change', async () => {
    // 2025-05-01 … 05-14: 100 a day on DistroKid; TooLost adds 50 a day in the second week only.
    await putStreams(
      wh.db,
      days('2025-05-01', 14).map((d) => [d, 'distrokid', 'spotify', 100] as [string, string, string, number]),
    )
    await putStreams(
      wh.db,
      days('2025-05-08', 7).map((d) => [d, 'toolost', 'spotify', 50] as [string, string, string, number]),
    )
    const k = await streamsTotal.evaluate(envOf(wh), { days: 7 })
    expect(k.window).toEqual({ from: '2025-05-08', to: '2025-05-14' })
    expect([k.value, k.previous, k.change]).toEqual([1050, 700, 0.5])
    // Nothing reported before the window: no previous, no change (never a 0 or an infinite %).
    const first = await streamsTotal.evaluate(envOf(wh), { from: '2025-05-01', to: '2025-05-07' })
    expect([first.value, first.previous, first.change]).toEqual([700, null, null])
  })

  it('revenue-total: the same number of sale months just before', async () => {
    // Each month reported on the 28th of the next (the lines used to be dated inside their own sale
    // month, which left April unfinished at the ledger's as-of date and so, rightly now, uncompared).
    const next: Record<string, string> = { '2025-01': '2025-02', '2025-02': '2025-03', '2025-03': '2025-04', '2025-04': '2025-05' }
    const line = (id: string, month: string, earnings: string) => ({ id, reporting: `${next[month]}-28`, month, store: 'Spotify', quantity: 1, earnings })
    await putLedger(wh.db, [
      line('a', '2025-01', '10.00000000'),
      line('b', '2025-02', '20.00000000'),
      line('c', '2025-03', '5.00000000'),
      line('d', '2025-04', '-1.00000000'),
      line('e', '2025-04', '31.00000000'),
    ])
    // March and April against January and February: 35 vs 30.
    const k = await revenueTotal.evaluate(envOf(wh), { from: '2025-03-10', to: '2025-04-30' })
    expect([k.exact, k.previous, k.change]).toEqual(['35.00000000', 30, (35 - 30) / 30])
    const first = await revenueTotal.evaluate(envOf(wh), { from: '2025-01-01', to: '2025-01-31' })
    expect([first.value, first.previous, first.change]).toEqual([10, null, null])
  })
})
