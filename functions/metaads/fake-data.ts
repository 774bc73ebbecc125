/**
 * The fake Meta ad account's contents: campaigns with ad sets and ads, and per campaign the days it
 * delivered (a day without delivery has no entry, as in Meta). The demo account holds a year of
 * flights for the two artists, named the way the label names campaigns, so the campaign-name rule
 * attributes them (and one engagement campaign it cannot).
 */

export interface DayMetrics {
  spendCents: number
  impressions: number
  clicks: number
  reach: number
}

export interface FakeAd {
  id: string
  name: string
  status: string
  effective_status: string
}

export interface FakeAdSet {
  id: string
  name: string
  status: string
  dailyBudgetCents: number | null
  ads: FakeAd[]
}

export interface FakeCampaign {
  id: string
  name: string
  status: string
  objective: string
  adsets: FakeAdSet[]
  /** date → metrics; absent dates had no delivery. */
  daily: Map<string, DayMetrics>
}

const DAY = 86_400_000
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10)

/** Deterministic pseudo-random numbers (mulberry32), so a demo run is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Meta writes spend with 0–2 decimals: 1800 → "18", 1150 → "11.5", 3624 → "36.24". */
export function spendText(cents: number): string {
  const whole = Math.floor(cents / 100)
  const frac = String(cents % 100)
    .padStart(2, '0')
    .replace(/0+$/, '')
  return frac ? `${whole}.${frac}` : String(whole)
}

/** An 18-digit id in Meta's style (above 2^53: a JS number would corrupt it). */
export const metaId = (n: number) => `1202${String(n).padStart(14, '0')}`

interface Flight {
  from: string
  days: number
  dailyCents: number
}

function campaign(n: number, name: string, flights: Flight[], seed: number, today: string): FakeCampaign {
  const r = rng(seed)
  const daily = new Map<string, DayMetrics>()
  for (const f of flights) {
    for (let i = 0; i < f.days; i++) {
      const date = addDays(f.from, i)
      if (date > today) break
      // Some days deliver nothing (budget exhausted, review): absent, not 0.
      if (r() < 0.08) continue
      const spendCents = Math.max(1, Math.round(f.dailyCents * (0.6 + 0.8 * r())))
      const impressions = Math.round(spendCents * (3 + 4 * r()))
      const clicks = Math.round(impressions * (0.005 + 0.02 * r()))
      daily.set(date, { spendCents, impressions, clicks, reach: Math.round(impressions * (0.7 + 0.25 * r())) })
    }
  }
  const last = [...daily.keys()].sort().at(-1)
  const status = last && last >= addDays(today, -2) ? 'ACTIVE' : 'PAUSED'
  const adsets: FakeAdSet[] = [1, 2].map((k) => ({
    id: metaId(n * 100 + k),
    name: `${name.split(' - ')[1] ?? name} - AD ${k}`,
    status,
    dailyBudgetCents: k === 1 ? 500 : null,
    ads: [{ id: metaId(n * 10_000 + k), name: `AD${k}`, status, effective_status: status === 'ACTIVE' ? 'ACTIVE' : 'CAMPAIGN_PAUSED' }],
  }))
  return { id: metaId(n), name, status, objective: 'OUTCOME_ENGAGEMENT', adsets, daily }
}

/** A year (to `today`) of flights: PIG1987 and ZONE A0 campaigns plus one unattributable engagement test. */
export function demoCampaigns(today: string, days = 365): FakeCampaign[] {
  const start = addDays(today, -(days - 1))
  const at = (offset: number) => addDays(start, offset)
  return [
    campaign(
      1,
      'PIG1987 - THE STATE OF THE WORLD - BROAD',
      [
        { from: at(10), days: 40, dailyCents: 900 },
        { from: at(200), days: 30, dailyCents: 1400 },
      ],
      11,
      today,
    ),
    campaign(
      2,
      'PIG1987 - HEAVEN NIGHTCLUB - Streaming - Copy',
      [
        { from: at(90), days: 45, dailyCents: 1100 },
        { from: at(days - 40), days: 40, dailyCents: 800 },
      ],
      12,
      today,
    ),
    campaign(3, 'IWARY - BROAD', [{ from: at(150), days: 25, dailyCents: 600 }], 13, today),
    campaign(
      4,
      'THE SOURCE - Streaming',
      [
        { from: at(30), days: 60, dailyCents: 1200 },
        { from: at(days - 60), days: 60, dailyCents: 1000 },
      ],
      14,
      today,
    ),
    campaign(5, 'ZONE A0 ANOVUS STREAMING CAMPAIGN', [{ from: at(240), days: 50, dailyCents: 700 }], 15, today),
    campaign(6, 'New Engagement Ad Set', [{ from: at(120), days: 14, dailyCents: 300 }], 16, today),
  ]
}
