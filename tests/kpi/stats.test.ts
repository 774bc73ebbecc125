import { afterEach, describe, expect, it, vi } from 'vitest'
import { kpiSettings } from '../../lib/kpi/settings.ts'
import { change, growthPct, isoWeek, monthsBetween, paymentStatus, pearson, previousWindow } from '../../lib/kpi/stats.ts'

describe('calendar helpers', () => {
  it('keys weeks by ISO-8601 week, across year ends', () => {
    expect(isoWeek('2025-05-28')).toBe('2025-W22')
    expect(isoWeek('2025-05-26')).toBe('2025-W22') // Monday starts the week
    expect(isoWeek('2025-05-25')).toBe('2025-W21') // Sunday ends the one before
    expect(isoWeek('2024-12-30')).toBe('2025-W01')
    expect(isoWeek('2021-01-03')).toBe('2020-W53')
  })

  it('gives the equal-length window before a window', () => {
    expect(previousWindow({ from: '2025-05-01', to: '2025-05-28' })).toEqual({
      from: '2025-04-03',
      to: '2025-04-30',
    })
    expect(previousWindow({ from: '2025-03-01', to: '2025-03-01' })).toEqual({
      from: '2025-02-28',
      to: '2025-02-28',
    })
  })

  it('lists months across a year end', () => {
    expect(monthsBetween('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02'])
  })
})

describe('change and growth', () => {
  it('is null, not infinite or 0, when the previous period is 0 or missing', () => {
    expect(change(10, 0)).toBeNull()
    expect(growthPct(10, 0)).toBeNull()
    expect(change(10, null)).toBeNull()
    expect(change(null, 5)).toBeNull()
    expect(change(15, 10)).toBe(0.5)
    expect(growthPct(5, 10)).toBe(-50)
    expect(change(-5, -10)).toBe(0.5) // against |previous|
  })
})

describe('pearson', () => {
  it('matches hand-computed values', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12)
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12)
    // mean 2 and 2; Σdxdy = 1, Σdx² = 2, Σdy² = 2 → 0.5
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12)
  })
  it('is null for a constant side or too few pairs', () => {
    expect(pearson([1, 1, 1, 1], [1, 2, 3, 4])).toBeNull()
    expect(pearson([1, 2], [2, 1])).toBeNull()
  })
})

describe('payment status', () => {
  const p = { delayDays: 60, dueSoonDays: 30, graceDays: 30 }
  // Expected payment date = first day of the sale month + 60 days.
  it('is PAID once the ledger has the month, whatever the date', () => {
    expect(paymentStatus('2025-05', true, '2025-06-01', p).status).toBe('PAID')
  })
  it.each([
    ['2025-03', '2025-06-01', 'OVERDUE', -32], // 2025-04-30: 32 days late > 30
    ['2025-03', '2025-05-30', 'DUE', -30], // exactly at the end of the grace
    ['2025-04', '2025-05-31', 'DUE', 0], // 2025-05-31: due today
    ['2025-04', '2025-05-30', 'DUE_SOON', 1],
    ['2025-05', '2025-06-01', 'DUE_SOON', 29], // 2025-06-30
    ['2025-05', '2025-05-31', 'DUE_SOON', 30],
    ['2025-05', '2025-05-30', 'PENDING', 31],
  ])('month %s on %s is %s', (month, today, status, days) => {
    const r = paymentStatus(month, false, today, p)
    expect(r.status).toBe(status)
    expect(r.daysUntilPayment).toBe(days)
  })
  it('reads the expected payment date from the configured delay', () => {
    expect(paymentStatus('2025-01', false, '2025-01-01', p).expectedPaymentDate).toBe('2025-03-02')
    expect(paymentStatus('2025-01', false, '2025-01-01', { ...p, delayDays: 30 }).expectedPaymentDate).toBe('2025-01-31')
  })
})

describe('kpiSettings', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('has the documented defaults', () => {
    const s = kpiSettings({})
    expect(s.rates).toEqual({ spotify: 0.002274, apple: 0.005771, other: 0.002486 })
    expect(s.payment.delayDays).toBe(60)
    expect(s.goals).toMatchObject({ revenueMonth: 500, streamsMonth: 200_000, spotifyFollowers: 10_000 })
    expect(s.alerts).toMatchObject({ revenueDropUsd: 100, streamsDropPct: 20 })
    expect(s.attribution).toEqual({ maxLag: 56, minDays: 28 })
  })

  it('takes overrides from the environment; blank means default', () => {
    const s = kpiSettings({
      BEDROT_RATE_SPOTIFY: '0.003',
      BEDROT_PAYMENT_DELAY_DAYS: '45',
      BEDROT_GOAL_REVENUE_MONTH: ' ',
    })
    expect(s.rates.spotify).toBe(0.003)
    expect(s.payment.delayDays).toBe(45)
    expect(s.goals.revenueMonth).toBe(500)
  })

  it('reads process.env by default and follows a changed value', () => {
    vi.stubEnv('BEDROT_ALERT_STREAMS_DROP_PCT', '35')
    expect(kpiSettings().alerts.streamsDropPct).toBe(35)
    vi.stubEnv('BEDROT_ALERT_STREAMS_DROP_PCT', '10')
    expect(kpiSettings().alerts.streamsDropPct).toBe(10)
  })

  it('names every bad variable', () => {
    expect(() => kpiSettings({ BEDROT_PAYMENT_DELAY_DAYS: 'soon', BEDROT_RATE_APPLE: '-1' })).toThrow(
      /BEDROT_PAYMENT_DELAY_DAYS[\s\S]*BEDROT_RATE_APPLE|BEDROT_RATE_APPLE[\s\S]*BEDROT_PAYMENT_DELAY_DAYS/,
    )
    expect(() => kpiSettings({ BEDROT_GOAL_BEHIND_PCT: '80', BEDROT_GOAL_ON_TRACK_PCT: '70' })).toThrow(/BEDROT_GOAL_BEHIND_PCT/)
  })
})

describe('todayIn: the label’s day, not UTC’s', () => {
  it('follows BEDROT_TZ across midnight both ways', async () => {
    const { todayIn } = await import('../../lib/kpi/window.ts')
    const at = new Date('2025-05-27T22:30:00Z')
    expect(todayIn('UTC', at)).toBe('2025-05-27')
    expect(todayIn('Pacific/Auckland', at)).toBe('2025-05-28') // UTC+12
    expect(todayIn('America/Los_Angeles', new Date('2025-05-28T03:00:00Z'))).toBe('2025-05-27') // UTC−7
  })

  it('currentDay (the KPI route’s clock, formatted once a minute) turns at the first ms of the zone’s new day', async () => {
    const { currentDay } = await import('../../lib/kpi/window.ts')
    vi.useFakeTimers()
    try {
      // Kathmandu is UTC+5:45: its midnight falls on a quarter past the UTC hour.
      const day = currentDay('Asia/Kathmandu')
      vi.setSystemTime(new Date('2025-05-27T18:14:00.000Z'))
      expect(day()).toBe('2025-05-27')
      vi.setSystemTime(new Date('2025-05-27T18:14:59.999Z'))
      expect(day()).toBe('2025-05-27')
      vi.setSystemTime(new Date('2025-05-27T18:15:00.000Z'))
      expect(day()).toBe('2025-05-28')
      // A clock set back is answered for what it says.
      vi.setSystemTime(new Date('2025-05-27T18:00:00.000Z'))
      expect(day()).toBe('2025-05-27')
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('summarize: a KPI in a label’s words', () => {
  it('rounds for display and never prints a raw float', async () => {
    const { summarize, formatValue } = await import('../../lib/kpi/summary.ts')
    expect(formatValue(0.9123333333333333, 'months')).toBe('0.9 months')
    expect(formatValue(277.0866285, 'usd')).toBe('$277.09')
    expect(formatValue(0.002372892576599993, 'usd')).toBe('$0.00237')
    expect(formatValue(116756, 'streams')).toBe('116,756 streams')
    expect(formatValue(null, 'usd')).toBe('not reported yet')
    const line = summarize({
      name: 'revenue-total',
      title: 'Revenue',
      unit: 'usd',
      value: 277.0866285,
      change: 0.32494484965316084,
      asOf: '2025-02-28',
      freshness: 'stale',
      window: { from: '2025-01-04', to: '2025-01-31' },
      sources: [],
    })
    expect(line).toBe('Revenue: $277.09 (+32.5% on the period before) — 2025-01-04 … 2025-01-31')
    expect(line).not.toMatch(/\d\.\d{4,}/)
  })
})
