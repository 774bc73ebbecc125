/**
 * @module Hand-written KPI envelopes for the page tests. Series come from simple formulas (never
 * random) so a failing screenshot can be reproduced exactly.
 */
const TO = '2026-11-24'
function days<T extends Record<string, number | null>>(n: number, f: (i: number) => T): (T & { date: string })[] {
  const end = Date.parse(TO)
  return Array.from({ length: n }, (_, i) => ({
    date: new Date(end - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10),
    ...f(i),
  }))
}
const head = (name: string, title: string, unit: string, sources: string[]) => ({
  name,
  title,
  unit,
  sources,
  asOf: TO,
  freshness: 'fresh',
  window: { from: '2026-10-28', to: TO },
})

const streams = days(28, (i) => {
  const spotify = 16000 + ((i * 37) % 9) * 400
  const apple = 4200 + ((i * 11) % 5) * 150
  const other = 2100 + (i % 4) * 90
  const distrokid = Math.round((spotify + apple + other) * 0.8)
  return {
    spotify,
    apple,
    other,
    distrokid,
    toolost: spotify + apple + other - distrokid,
    value: spotify + apple + other,
  }
})

export const ENVELOPES: Record<string, object> = {
  'streams-total': {
    ...head('streams-total', 'Streams', 'streams', ['distrokid', 'toolost']),
    value: 685757,
    previous: 612000,
    series: streams,
  },
  'streams-by-platform': {
    ...head('streams-by-platform', 'Streams by platform', 'streams', ['distrokid', 'toolost']),
    value: 685757,
    series: streams.map(({ date, value, spotify, apple, other }) => ({
      date,
      value,
      spotify,
      apple,
      other,
    })),
    breakdown: [
      { key: 'spotify', value: 498321, share: 0.7267 },
      { key: 'apple', value: 126104, share: 0.1839 },
      { key: 'other', value: 61332, share: 0.0894 },
    ],
  },
  'streams-by-distributor': {
    ...head('streams-by-distributor', 'Streams by distributor', 'streams', ['distrokid', 'toolost']),
    value: 685757,
    series: streams.map(({ date, value, distrokid, toolost }) => ({
      date,
      value,
      distrokid,
      toolost,
    })),
    breakdown: [
      { key: 'distrokid', value: 548606, share: 0.8 },
      { key: 'toolost', value: 137151, share: 0.2 },
    ],
  },
  'streams-daily-average': {
    ...head('streams-daily-average', 'Daily average', 'streams', ['distrokid', 'toolost']),
    value: 24491.32,
  },
  'streams-growth': {
    ...head('streams-growth', 'Streams growth', 'percent', ['distrokid', 'toolost']),
    value: 12.4,
    breakdown: [
      { key: 'week', value: 3.1 },
      { key: 'month', value: 12.4 },
    ],
  },
  // Reported as "not reported yet": the source has data, but this number is null (no denominator).
  'spotify-listeners': {
    ...head('spotify-listeners', 'Spotify listeners', 'count', ['spotify']),
    freshness: 'stale',
    asOf: '2026-11-02',
    value: null,
  },
  'spotify-followers': {
    ...head('spotify-followers', 'Spotify followers', 'count', ['spotify']),
    value: 8123,
    previous: 8011,
  },
  'spotify-streams': {
    ...head('spotify-streams', 'Spotify streams', 'streams', ['spotify']),
    value: 402113,
    series: days(28, (i) => ({ value: i === 9 ? null : 13000 + ((i * 7) % 6) * 700 })),
  },
  'revenue-total': {
    ...head('revenue-total', 'Revenue', 'usd', ['distrokid']),
    value: 944.0512345678,
    previous: 1010.2,
    asOf: '2026-10-31',
    freshness: 'warn',
  },
  'revenue-expected-vs-actual': {
    ...head('revenue-expected-vs-actual', 'Revenue: expected vs actual', 'usd', ['distrokid', 'toolost']),
    value: 944.05,
    estimated: true,
    series: [
      { date: '2026-06', value: 402.11, expected: 389.5, variance: 12.61, status: 'PAID' },
      { date: '2026-07', value: 455.9, expected: 470.02, variance: -14.12, status: 'PAID' },
      { date: '2026-08', value: 501.37, expected: 498.0, variance: 3.37, status: 'PAID' },
      { date: '2026-09', value: 944.05, expected: 901.33, variance: 42.72, status: 'DUE' },
      { date: '2026-10', value: null, expected: 932.1, variance: null, status: 'DUE_SOON' },
      { date: '2026-11', value: null, expected: 870.4, variance: null, status: 'PENDING' },
    ],
  },
  'tiktok-views': {
    ...head('tiktok-views', 'TikTok views', 'count', ['tiktok']),
    asOf: null,
    freshness: 'empty',
    value: null,
    note: 'no data from tiktok yet',
  },
  'ad-spend': {
    ...head('ad-spend', 'Ad spend', 'usd', ['metaads']),
    value: 123.45,
    previous: 98.1,
    series: days(28, (i) => ({ value: i < 14 ? null : 8 + (i % 3) * 0.5 })),
    breakdown: [
      { key: 'ZONE A0 – Nov push', value: 80.2 },
      { key: 'PIG1987 – teaser', value: 43.25 },
    ],
  },
  roas: {
    ...head('roas', 'ROAS', 'ratio', ['metaads', 'distrokid']),
    value: 2.31,
    estimated: true,
    note: 'estimated from streams until the ledger covers the window',
  },
  goals: {
    ...head('goals', 'Goals', 'percent', ['distrokid']),
    value: null,
    breakdown: [
      {
        key: 'revenue-month',
        value: 62.3,
        status: 'behind',
        actual: 311.5,
        target: 500,
        unit: 'usd',
      },
      {
        key: 'streams-month',
        value: 104.2,
        status: 'achieved',
        actual: 208400,
        target: 200000,
        unit: 'streams',
      },
    ],
  },
  alerts: {
    ...head('alerts', 'Alerts', 'count', ['distrokid']),
    value: 1,
    breakdown: [
      {
        key: 'session',
        value: 1,
        level: 'warn',
        message: 'distrokid session expired: run `npm run auth -- distrokid`',
      },
    ],
  },
}
