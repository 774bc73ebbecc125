/** Distributor-streams KPIs (3–6) on small warehouses whose answers are worked out by hand. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import byDistributor from '../../functions/kpi/streams-by-distributor.ts'
import dailyAverage from '../../functions/kpi/streams-daily-average.ts'
import dayOverDay from '../../functions/kpi/streams-day-over-day.ts'
import growth from '../../functions/kpi/streams-growth.ts'
import type { Warehouse } from '../../lib/warehouse/db.ts'
import { days, envOf, openTestWarehouse, putSpotifyAudience, putStreams } from './warehouse.ts'

let wh: Warehouse
beforeEach(async () => {
  wh = await openTestWarehouse()
})
afterEach(async () => wh.close())

/** Spotify for Artists streams on the same days: never part of distributor totals (the double-count rule). */
async function spotifyOverlap(dates: string[], streams = 10_000) {
  await putSpotifyAudience(
    wh.db,
    dates.map((date) => ({ date, artist: 'ZONE A0', streams })),
  )
}

describe('a window with gaps (2025-05-01 … 05-10)', () => {
  beforeEach(async () => {
    await putStreams(wh.db, [
      ['2025-05-01', 'distrokid', 'spotify', 100],
      ['2025-05-01', 'distrokid', 'apple', 20],
      ['2025-05-02', 'distrokid', 'spotify', 100],
      ['2025-05-05', 'distrokid', 'spotify', 50],
      ['2025-05-10', 'distrokid', 'spotify', 30],
      ['2025-05-01', 'toolost', 'spotify', 10],
      ['2025-05-10', 'toolost', 'spotify', 20],
    ])
    await spotifyOverlap(days('2025-05-01', 10))
  })
  const q = { from: '2025-05-01', to: '2025-05-10' }

  it('streams-by-distributor: shares of streams and of days covered', async () => {
    const r = await byDistributor.evaluate(envOf(wh), q)
    expect(r.value).toBe(330)
    // toMatchObject: rows also carry the display name and the last day each distributor reported.
    expect(r.breakdown).toMatchObject([
      { key: 'distrokid', value: 300, days: 4, share: 300 / 330, daysShare: 4 / 6, coverage: 0.4 },
      { key: 'toolost', value: 30, days: 2, share: 30 / 330, daysShare: 2 / 6, coverage: 0.2 },
    ])
    expect(r.series?.[0]).toEqual({ date: '2025-05-01', value: 130, distrokid: 120, toolost: 10 })
    expect(r.previous).toBeNull() // nothing before May
    expect(r.change).toBeNull()
  })

  it('streams-daily-average divides by calendar days, not rows or dates', async () => {
    const r = await dailyAverage.evaluate(envOf(wh), q)
    expect(r.value).toBe(33) // 330 / 10 days (not / 4 dates = 82.5, not / 7 rows)
    expect(r.calendarDays).toBe(10)
    expect(r.daysReported).toBe(4)
  })

  it('streams-daily-average does not count days before the first report as zero', async () => {
    const r = await dailyAverage.evaluate(envOf(wh), { days: 28 })
    expect(r.window).toEqual({ from: '2025-04-13', to: '2025-05-10' })
    expect(r.value).toBe(33)
    expect(r.averagedOver).toEqual({ from: '2025-05-01', to: '2025-05-10' })
  })
})

describe('streams-day-over-day', () => {
  beforeEach(async () => {
    await putStreams(wh.db, [
      ['2025-05-30', 'distrokid', 'spotify', 100],
      ['2025-05-30', 'distrokid', 'apple', 50],
      ['2025-05-30', 'toolost', 'spotify', 40],
      ['2025-05-31', 'distrokid', 'spotify', 120],
      ['2025-05-31', 'distrokid', 'apple', 40],
      ['2025-05-31', 'toolost', 'spotify', 60],
      // TooLost has not reported 06-01 yet: 06-01 is not complete, comparing it would show a false drop.
      ['2025-06-01', 'distrokid', 'spotify', 50],
    ])
    await spotifyOverlap(['2025-05-30', '2025-05-31'], 5000)
  })

  it('compares dates summed over both distributors, on the newest complete date', async () => {
    const r = await dayOverDay.evaluate(envOf(wh), {})
    expect(r).toMatchObject({
      date: '2025-05-31',
      previousDate: '2025-05-30',
      streams: 220,
      previousStreams: 190,
      value: 30,
    })
    expect(r.change).toBeCloseTo(30 / 190, 12)
    expect(r.percent).toBeCloseTo((30 / 190) * 100, 10)
    expect(r.breakdown).toMatchObject([
      { key: 'distrokid', value: 10, streams: 160, previousStreams: 150, change: 10 / 150 },
      { key: 'toolost', value: 20, streams: 60, previousStreams: 40, change: 0.5 },
    ])
  })

  it('never compares today, which has not ended, even when every platform already reported it', async () => {
    await putStreams(wh.db, [
      ['2025-06-01', 'distrokid', 'apple', 10],
      ['2025-06-01', 'toolost', 'spotify', 5],
    ])
    // On 06-01 itself every platform has a few hours of 06-01: yesterday is still the newest whole day.
    const r = await dayOverDay.evaluate(envOf(wh, { today: '2025-06-01' }), {})
    expect(r).toMatchObject({ date: '2025-05-31', previousDate: '2025-05-30', value: 30 })
    expect(r.window.to).toBe('2025-05-31')
    // A day later 06-01 has ended, and with all platforms in it is compared.
    const next = await dayOverDay.evaluate(envOf(wh, { today: '2025-06-02' }), {})
    expect(next).toMatchObject({ date: '2025-06-01', previousDate: '2025-05-31', streams: 65, previousStreams: 220 })
  })

  it('uses a restated day’s newest value, not the sum of both versions', async () => {
    await putStreams(wh.db, [['2025-05-31', 'distrokid', 'spotify', 220]])
    const r = await dayOverDay.evaluate(envOf(wh), {})
    expect(r.streams).toBe(320)
    expect(r.value).toBe(130)
  })

  it('is null, not a jump, when the day before was not reported', async () => {
    const r = await dayOverDay.evaluate(envOf(wh), { from: '2025-05-31', to: '2025-05-31' })
    await putStreams(wh.db, [['2025-05-20', 'distrokid', 'spotify', 1]])
    const gap = await dayOverDay.evaluate(envOf(wh), { from: '2025-05-20', to: '2025-05-20' })
    expect(r.value).toBe(30) // the day before lies outside the window: it is still compared
    expect(gap).toMatchObject({ date: '2025-05-20', value: null, change: null, previousStreams: null })
    expect(gap.note).toMatch(/2025-05-19/)
  })
})

describe('streams-growth', () => {
  beforeEach(async () => {
    // 150 a day (DistroKid 100 + TooLost 50) from March 1st; DistroKid 150 on 05-26 … 05-28.
    const rows: [string, string, string, number][] = []
    for (const d of days('2025-03-01', 89)) {
      rows.push([d, 'distrokid', 'spotify', d >= '2025-05-26' ? 150 : 100], [d, 'toolost', 'spotify', 50])
    }
    await putStreams(wh.db, rows)
    // Spotify-only streams in the current week: summing them in would change every number below.
    await spotifyOverlap(['2025-05-27'], 10_000)
  })

  it('compares ISO weeks and months like for like, and the window with the one before', async () => {
    const r = await growth.evaluate(envOf(wh), { from: '2025-05-01', to: '2025-05-28' })
    const [week, month, win] = r.breakdown!
    // Week 2025-W22 so far (Mon 05-26 … Wed 05-28): 3 × 200 = 600 vs the same days of W21: 3 × 150 = 450.
    expect(week).toMatchObject({
      key: 'week',
      period: '2025-W22',
      previousPeriod: '2025-W21',
      streams: 600,
      previousStreams: 450,
    })
    expect(week.value).toBeCloseTo(100 / 3, 10)
    // May 1 … 28: 25 × 150 + 3 × 200 = 4350 vs April 1 … 28: 28 × 150 = 4200.
    expect(month).toMatchObject({
      key: 'month',
      period: '2025-05',
      previousPeriod: '2025-04',
      streams: 4350,
      previousStreams: 4200,
    })
    expect(month.value).toBeCloseTo((150 / 4200) * 100, 10)
    // The window (05-01 … 05-28) against 04-03 … 04-30: 4350 vs 4200; that one against 03-06 … 04-02: 0 %.
    expect(win.value).toBeCloseTo((150 / 4200) * 100, 10)
    expect(r.value).toBeCloseTo((150 / 4200) * 100, 10)
    expect(r.previous).toBe(0)
    expect(r.change).toBeNull() // the previous growth is 0: no denominator
    expect(r.series!.map((p) => [p.date, p.value, p.complete])).toEqual([
      ['2025-W18', 0, true],
      ['2025-W19', 0, true],
      ['2025-W20', 0, true],
      ['2025-W21', 0, true],
      ['2025-W22', ((50 * 3) / 450) * 100, false],
    ])
  })

  it('is null, not infinite, when the previous period is 0', async () => {
    await putStreams(
      wh.db,
      days('2025-03-01', 7).map((d) => [d, 'distrokid', 'spotify', 0] as [string, string, string, number]),
    )
    await putStreams(
      wh.db,
      days('2025-03-01', 7).map((d) => [d, 'toolost', 'spotify', 0] as [string, string, string, number]),
    )
    const r = await growth.evaluate(envOf(wh), { from: '2025-03-08', to: '2025-03-14' })
    expect(r.previousStreams).toBe(0)
    expect(r.value).toBeNull()
  })
})
