/**
 * KPI 25: Meta spend, impressions, clicks and reach per campaign and per day, from the daily insights.
 * CPC, CPM and CTR are recomputed from the sums (never averaged from daily ratios); reach is not
 * additive across days (the same person is reached again), so a campaign shows its largest daily reach.
 * Lifetime snapshots (ad_snapshots) are never summed across snapshot times: `lifetime` takes each
 * campaign's newest snapshot only, at one level (campaign rows, else its ad-set rows).
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { endedBy } from '../../lib/kpi/queries.ts'
import type { KpiEnv } from '../../lib/kpi/define.ts'
import { adInsightsDaily, campaignArtists } from '../../lib/kpi/campaigns.ts'
import { change, previousWindow, ratio } from '../../lib/kpi/stats.ts'

const usd = (cents: number) => cents / 100
const ratios = (cents: number, impressions: number, clicks: number) => ({
  cpc: ratio(usd(cents), clicks),
  cpm: impressions === 0 ? null : (usd(cents) / impressions) * 1000,
  ctr: ratio(clicks, impressions),
})

async function lifetime({ db }: KpiEnv) {
  const { rows } = await sql<{
    campaign_id: string
    snapshot_at: string
    cents: number
    impressions: number
    clicks: number
    rows: number
    status: string | null
  }>`
    with newest as (select campaign_id, max(snapshot_at) as at from ad_snapshots group by campaign_id),
    latest as (
      select s.*, case s.level when 'campaign' then 0 when 'adset' then 1 else 2 end as rank
      from ad_snapshots s join newest n on n.campaign_id = s.campaign_id and n.at = s.snapshot_at),
    best as (select campaign_id, min(rank) as rank from latest group by campaign_id)
    select l.campaign_id, l.snapshot_at, sum(l.spend_cents) as cents, sum(l.impressions) as impressions, sum(l.clicks) as clicks,
      count(*) as rows, (select c.status from ad_campaigns c where c.campaign_id = l.campaign_id) as status
    from latest l join best b on b.campaign_id = l.campaign_id and b.rank = l.rank
    group by l.campaign_id, l.snapshot_at`.execute(db)
  return rows
}

export default defineKpi({
  name: 'ad-spend',
  title: 'Ad spend',
  unit: 'usd',
  description: 'Meta spend, impressions, clicks, reach, CPC, CPM, CTR per campaign and day',
  sources: ['metaads'],
  async range({ db, today }) {
    const { rows } = await sql<{ min: string | null; max: string | null }>`
      select min(d) as min, max(d) as max from (
        select date as d from ad_insights_daily
        union all select coalesce(date_stop, substr(snapshot_at, 1, 10)) from ad_snapshots)`.execute(db)
    // A window of N days ends yesterday at the latest: today is still being reported.
    return { min: rows[0]?.min ?? null, max: rows[0]?.max ?? null, completeTo: endedBy(rows[0]?.max ?? null, today) }
  },
  async compute(env, w) {
    const names = await campaignArtists(env)
    const daily = await adInsightsDaily(env, w)
    const cents = daily.reduce((s, r) => s + r.cents, 0)
    const impressions = daily.reduce((s, r) => s + r.impressions, 0)
    const clicks = daily.reduce((s, r) => s + r.clicks, 0)
    const before = await adInsightsDaily(env, previousWindow(w))
    const value = daily.length ? usd(cents) : null
    const previous = before.length ? usd(before.reduce((s, r) => s + r.cents, 0)) : null

    const dates = [...new Set(daily.map((r) => r.date))]
    const campaigns = [...new Set(daily.map((r) => r.campaignId))]
    const snapshots = await lifetime(env)
    const lifetimeCents = snapshots.reduce((s, r) => s + Number(r.cents), 0)
    return {
      value,
      previous,
      change: change(value, previous),
      impressions: daily.length ? impressions : null,
      clicks: daily.length ? clicks : null,
      ...(daily.length ? ratios(cents, impressions, clicks) : {}),
      series: dates.map((date) => {
        const day = daily.filter((r) => r.date === date)
        const c = day.reduce((s, r) => s + r.cents, 0)
        const i = day.reduce((s, r) => s + r.impressions, 0)
        const k = day.reduce((s, r) => s + r.clicks, 0)
        return {
          date,
          value: usd(c),
          impressions: i,
          clicks: k,
          reach: day.some((r) => r.reach !== null) ? day.reduce((s, r) => s + (r.reach ?? 0), 0) : null,
          ...ratios(c, i, k),
        }
      }),
      breakdown: campaigns
        .map((id) => {
          const own = daily.filter((r) => r.campaignId === id)
          const c = own.reduce((s, r) => s + r.cents, 0)
          const i = own.reduce((s, r) => s + r.impressions, 0)
          const k = own.reduce((s, r) => s + r.clicks, 0)
          const reach = own.map((r) => r.reach).filter((r): r is number => r !== null)
          const name = names.get(id)
          return {
            key: name?.name ?? id,
            campaignId: id,
            artist: name?.artist ?? null,
            value: usd(c),
            impressions: i,
            clicks: k,
            maxDailyReach: reach.length ? Math.max(...reach) : null,
            days: own.length,
            ...ratios(c, i, k),
          }
        })
        .sort((a, b) => b.value - a.value),
      lifetime: snapshots.length
        ? {
            value: usd(lifetimeCents),
            impressions: snapshots.reduce((s, r) => s + Number(r.impressions), 0),
            clicks: snapshots.reduce((s, r) => s + Number(r.clicks), 0),
            campaigns: snapshots.length,
            newestSnapshot: snapshots
              .map((r) => r.snapshot_at)
              .sort()
              .at(-1),
          }
        : null,
      // Each campaign's newest lifetime snapshot (its rows at one level rolled up); status as last extracted.
      lifetimeByCampaign: snapshots
        .map((r) => ({
          key: names.get(r.campaign_id)?.name ?? r.campaign_id,
          campaignId: r.campaign_id,
          artist: names.get(r.campaign_id)?.artist ?? null,
          status: r.status,
          value: usd(Number(r.cents)),
          impressions: Number(r.impressions),
          clicks: Number(r.clicks),
          rows: Number(r.rows),
          snapshotAt: r.snapshot_at,
        }))
        .sort((a, b) => b.value - a.value || (a.campaignId < b.campaignId ? -1 : 1)),
      ...(daily.length ? {} : { note: 'no daily Meta insights in the window' }),
    }
  },
})
