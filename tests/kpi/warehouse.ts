/**
 * Small warehouses for KPI tests: an in-memory SQLite with the real migrations, and one writer per fact
 * table with the natural-key upsert the loaders use (so a second write of the same key restates it).
 * Every value a test asserts is worked out by hand from the rows the test writes.
 */
import type { Kysely } from 'kysely'
import type { KpiEnv } from '../../lib/kpi/define.ts'
import { FUNCTIONS_DIR } from '../../lib/registry.ts'
import { loadDeclarations, resolveSources } from '../../lib/source.ts'
import { openWarehouse, type Warehouse } from '../../lib/warehouse/db.ts'
import type { DB } from '../../lib/warehouse/schema.ts'

export const TODAY = '2025-06-01'
const lineage = { extracted_at: '2025-06-01T06:00:00Z', run_id: null }

export async function openTestWarehouse(): Promise<Warehouse> {
  return openWarehouse(':memory:')
}

export const SOURCES = resolveSources({}, await loadDeclarations(FUNCTIONS_DIR))

export function envOf(wh: Warehouse, extra: Partial<KpiEnv> = {}): KpiEnv {
  return { db: wh.db, today: TODAY, sources: SOURCES, ...extra }
}

/** Dates from `from`, one a day, `n` of them. */
export function days(from: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10))
}

export async function putStreams(db: Kysely<DB>, rows: [date: string, distributor: string, platform: string, streams: number][]) {
  for (const [date, distributor, platform, streams] of rows) {
    await db
      .insertInto('streams_daily')
      .values({ date, distributor, platform, streams, ...lineage })
      .onConflict((oc) => oc.columns(['date', 'distributor', 'platform']).doUpdateSet({ streams }))
      .execute()
  }
}

export interface Line {
  id: string
  reporting: string
  month: string
  store: string
  platform?: string
  artist?: string
  title?: string
  isrc?: string
  country?: string
  quantity: number
  /** Earnings as exact decimal text, e.g. '-0.12345678'. */
  earnings: string
  distributor?: string
}

export function e8(text: string): number {
  const neg = text.startsWith('-')
  const [whole, frac = ''] = text.replace('-', '').split('.')
  const units = Number(whole) * 1e8 + Number(frac.padEnd(8, '0'))
  return neg ? -units : units
}

export async function putLedger(db: Kysely<DB>, lines: Line[]) {
  for (const l of lines) {
    await db
      .insertInto('revenue_lines')
      .values({
        line_id: l.id,
        distributor: l.distributor ?? 'distrokid',
        reporting_date: l.reporting,
        sale_month: l.month,
        store: l.store,
        platform: l.platform ?? (l.store === 'Spotify' ? 'spotify' : l.store === 'Apple Music' ? 'apple' : 'other'),
        artist: l.artist ?? 'ZONE A0',
        title: l.title ?? 'LUNA',
        isrc: l.isrc ?? 'QZTAW0000001',
        upc: '000000000001',
        quantity: l.quantity,
        team_percentage: '100',
        source_type: 'Song',
        country: l.country ?? 'US',
        withheld_e8: 0,
        earnings_e8: e8(l.earnings),
        recoup_e8: null,
        date_inserted: null,
        ...lineage,
      })
      .execute()
  }
}

export async function putSpotifyAudience(
  db: Kysely<DB>,
  rows: {
    date: string
    artist: string
    streams?: number | null
    followers?: number | null
    listeners?: number | null
  }[],
) {
  for (const r of rows) {
    await db
      .insertInto('spotify_audience_daily')
      .values({
        date: r.date,
        artist: r.artist,
        streams: r.streams ?? null,
        followers: r.followers ?? null,
        listeners: r.listeners ?? null,
        ...lineage,
      })
      .execute()
  }
}

type Social = { date: string; platform: string; account: string; artist?: string | null } & Partial<
  Record<'views' | 'profile_views' | 'likes' | 'comments' | 'shares' | 'followers' | 'reach', number | null>
>

export async function putSocial(db: Kysely<DB>, rows: Social[]) {
  for (const r of rows) {
    await db
      .insertInto('social_daily')
      .values({
        date: r.date,
        platform: r.platform,
        account: r.account,
        artist: r.artist ?? null,
        views: r.views ?? null,
        profile_views: r.profile_views ?? null,
        likes: r.likes ?? null,
        comments: r.comments ?? null,
        shares: r.shares ?? null,
        followers: r.followers ?? null,
        reach: r.reach ?? null,
        ...lineage,
      })
      .execute()
  }
}

export async function putCampaigns(db: Kysely<DB>, rows: { id: string; name: string }[]) {
  for (const r of rows) {
    await db
      .insertInto('ad_campaigns')
      .values({
        campaign_id: r.id,
        name: r.name,
        status: 'ACTIVE',
        objective: 'OUTCOME_ENGAGEMENT',
        artist: null,
        track: null,
        targeting: null,
        ...lineage,
      })
      .execute()
  }
}

export async function putInsights(
  db: Kysely<DB>,
  rows: {
    date: string
    campaign: string
    adset?: string
    cents: number
    impressions: number
    clicks: number
    reach?: number | null
  }[],
) {
  for (const r of rows) {
    await db
      .insertInto('ad_insights_daily')
      .values({
        date: r.date,
        campaign_id: r.campaign,
        adset_id: r.adset ?? '',
        spend_cents: r.cents,
        impressions: r.impressions,
        clicks: r.clicks,
        reach: r.reach ?? null,
        ...lineage,
      })
      .execute()
  }
}

export async function putSnapshots(
  db: Kysely<DB>,
  rows: {
    at: string
    level: string
    object: string
    campaign: string
    name?: string
    stop: string
    cents: number
    impressions: number
    clicks: number
  }[],
) {
  for (const r of rows) {
    await db
      .insertInto('ad_snapshots')
      .values({
        snapshot_at: r.at,
        level: r.level,
        object_id: r.object,
        campaign_id: r.campaign,
        name: r.name ?? null,
        status: 'ACTIVE',
        date_start: '2025-01-20',
        date_stop: r.stop,
        spend_cents: r.cents,
        impressions: r.impressions,
        clicks: r.clicks,
        reach: null,
        ...lineage,
      })
      .execute()
  }
}
