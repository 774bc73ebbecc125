/**
 * @module Every number the KPIs take as configuration, in one place, with its default. Each one can be
 * overridden by an environment variable; the set is parsed once per distinct configuration.
 *
 *   BEDROT_RATE_SPOTIFY            0.002274  expected USD per Spotify stream (revenue-expected-vs-actual)
 *   BEDROT_RATE_APPLE              0.005771  expected USD per Apple Music stream
 *   BEDROT_RATE_OTHER              0.002486  expected USD per stream on any other platform
 *   BEDROT_PAYMENT_DELAY_DAYS      60        fallback when the ledger has no history for a month: paid this many days after its first day
 *                                            (otherwise lib/kpi/complete-months learns each store's arrival from the ledger)
 *   BEDROT_PAYMENT_DUE_SOON_DAYS   30        an unpaid month whose payment date is at most this many days away is DUE_SOON
 *   BEDROT_PAYMENT_GRACE_DAYS      30        an unpaid month more than this many days past its payment date is OVERDUE
 *   BEDROT_GOAL_REVENUE_MONTH      500       revenue goal per sale month, USD
 *   BEDROT_GOAL_STREAMS_MONTH      200000    distributor streams goal per calendar month
 *   BEDROT_GOAL_SPOTIFY_FOLLOWERS  10000     Spotify followers goal (all artists together)
 *   BEDROT_GOAL_ON_TRACK_PCT       75        at or above this % of the (pace-adjusted) target a goal is on_track
 *   BEDROT_GOAL_BEHIND_PCT         50        at or above this % it is behind; below it at_risk
 *   BEDROT_ALERT_REVENUE_DROP_USD  100       alert when a month's revenue is this much below the month before
 *   BEDROT_ALERT_STREAMS_DROP_PCT  20        alert when the 7-day average streams fall this many % below the 7 days before
 *   BEDROT_ALERT_STALE_DAYS        7         a daily source whose newest business date is older than this is stale
 *   BEDROT_ALERT_LEDGER_STALE_DAYS 75        the ledger (monthly) is stale when its newest sale month ended longer ago
 *   BEDROT_ROAS_TRAILING_MONTHS    3         complete sale months behind "trailing revenue per stream" (estimated ROAS)
 *   BEDROT_ATTRIBUTION_MAX_LAG     56        attribution-lag tries lags 0…this many days
 *   BEDROT_ATTRIBUTION_MIN_DAYS    28        fewest days where both series are reported for a lag's r to be given
 */
import { z } from 'zod'

const money = z.coerce.number().nonnegative()
const days = z.coerce.number().int().min(0).max(3660)
const count = z.coerce.number().positive()
const percent = z.coerce.number().min(0).max(1000)

const SettingsEnv = z
  .object({
    BEDROT_RATE_SPOTIFY: money.default(0.002274),
    BEDROT_RATE_APPLE: money.default(0.005771),
    BEDROT_RATE_OTHER: money.default(0.002486),
    BEDROT_PAYMENT_DELAY_DAYS: days.default(60),
    BEDROT_PAYMENT_DUE_SOON_DAYS: days.default(30),
    BEDROT_PAYMENT_GRACE_DAYS: days.default(30),
    BEDROT_GOAL_REVENUE_MONTH: count.default(500),
    BEDROT_GOAL_STREAMS_MONTH: count.default(200_000),
    BEDROT_GOAL_SPOTIFY_FOLLOWERS: count.default(10_000),
    BEDROT_GOAL_ON_TRACK_PCT: percent.default(75),
    BEDROT_GOAL_BEHIND_PCT: percent.default(50),
    BEDROT_ALERT_REVENUE_DROP_USD: money.default(100),
    BEDROT_ALERT_STREAMS_DROP_PCT: percent.default(20),
    BEDROT_ALERT_STALE_DAYS: days.default(7),
    BEDROT_ALERT_LEDGER_STALE_DAYS: days.default(75),
    BEDROT_ROAS_TRAILING_MONTHS: z.coerce.number().int().min(1).max(36).default(3),
    BEDROT_ATTRIBUTION_MAX_LAG: z.coerce.number().int().min(0).max(365).default(56),
    BEDROT_ATTRIBUTION_MIN_DAYS: z.coerce.number().int().min(3).max(3660).default(28),
  })
  .refine((e) => e.BEDROT_GOAL_BEHIND_PCT <= e.BEDROT_GOAL_ON_TRACK_PCT, {
    message: 'must not be above BEDROT_GOAL_ON_TRACK_PCT',
    path: ['BEDROT_GOAL_BEHIND_PCT'],
  })

export interface KpiSettings {
  /** USD per stream by distributor platform key (`spotify`, `apple`, anything else → `other`). */
  rates: { spotify: number; apple: number; other: number }
  payment: { delayDays: number; dueSoonDays: number; graceDays: number }
  goals: {
    revenueMonth: number
    streamsMonth: number
    spotifyFollowers: number
    onTrackPct: number
    behindPct: number
  }
  alerts: { revenueDropUsd: number; streamsDropPct: number; staleDays: number; ledgerStaleDays: number }
  roas: { trailingMonths: number }
  attribution: { maxLag: number; minDays: number }
}

const cache = new Map<string, KpiSettings>()

/** The KPI settings from `env`; throws naming every bad variable. */
export function kpiSettings(env: Record<string, string | undefined> = process.env): KpiSettings {
  // Only our variables count towards the cache key, so a changed unrelated variable does not re-parse.
  const ours = pick(env)
  const key = JSON.stringify(ours)
  const hit = cache.get(key)
  if (hit) return hit
  const parsed = SettingsEnv.safeParse(ours)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new Error(`invalid KPI settings:\n  ${lines.join('\n  ')}`)
  }
  const e = parsed.data
  const settings: KpiSettings = {
    rates: { spotify: e.BEDROT_RATE_SPOTIFY, apple: e.BEDROT_RATE_APPLE, other: e.BEDROT_RATE_OTHER },
    payment: {
      delayDays: e.BEDROT_PAYMENT_DELAY_DAYS,
      dueSoonDays: e.BEDROT_PAYMENT_DUE_SOON_DAYS,
      graceDays: e.BEDROT_PAYMENT_GRACE_DAYS,
    },
    goals: {
      revenueMonth: e.BEDROT_GOAL_REVENUE_MONTH,
      streamsMonth: e.BEDROT_GOAL_STREAMS_MONTH,
      spotifyFollowers: e.BEDROT_GOAL_SPOTIFY_FOLLOWERS,
      onTrackPct: e.BEDROT_GOAL_ON_TRACK_PCT,
      behindPct: e.BEDROT_GOAL_BEHIND_PCT,
    },
    alerts: {
      revenueDropUsd: e.BEDROT_ALERT_REVENUE_DROP_USD,
      streamsDropPct: e.BEDROT_ALERT_STREAMS_DROP_PCT,
      staleDays: e.BEDROT_ALERT_STALE_DAYS,
      ledgerStaleDays: e.BEDROT_ALERT_LEDGER_STALE_DAYS,
    },
    roas: { trailingMonths: e.BEDROT_ROAS_TRAILING_MONTHS },
    attribution: { maxLag: e.BEDROT_ATTRIBUTION_MAX_LAG, minDays: e.BEDROT_ATTRIBUTION_MIN_DAYS },
  }
  cache.set(key, settings)
  return settings
}

const NAMES = [
  'BEDROT_RATE_SPOTIFY',
  'BEDROT_RATE_APPLE',
  'BEDROT_RATE_OTHER',
  'BEDROT_PAYMENT_DELAY_DAYS',
  'BEDROT_PAYMENT_DUE_SOON_DAYS',
  'BEDROT_PAYMENT_GRACE_DAYS',
  'BEDROT_GOAL_REVENUE_MONTH',
  'BEDROT_GOAL_STREAMS_MONTH',
  'BEDROT_GOAL_SPOTIFY_FOLLOWERS',
  'BEDROT_GOAL_ON_TRACK_PCT',
  'BEDROT_GOAL_BEHIND_PCT',
  'BEDROT_ALERT_REVENUE_DROP_USD',
  'BEDROT_ALERT_STREAMS_DROP_PCT',
  'BEDROT_ALERT_STALE_DAYS',
  'BEDROT_ALERT_LEDGER_STALE_DAYS',
  'BEDROT_ROAS_TRAILING_MONTHS',
  'BEDROT_ATTRIBUTION_MAX_LAG',
  'BEDROT_ATTRIBUTION_MIN_DAYS',
] as const

/** Our variables that are set and not blank (a blank variable means "use the default"). */
function pick(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const n of NAMES) {
    const v = env[n]
    if (v !== undefined && v.trim() !== '') out[n] = v.trim()
  }
  return out
}

/** The expected rate for a distributor platform key. */
export function rateFor(settings: KpiSettings, platform: string): number {
  return platform === 'spotify' ? settings.rates.spotify : platform === 'apple' ? settings.rates.apple : settings.rates.other
}
