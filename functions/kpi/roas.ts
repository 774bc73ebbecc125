/**
 * KPI 26: return on ad spend = revenue of the campaigns' artists / their Meta spend, in the window.
 * Campaigns reach an artist through the campaign-name rule (lib/kpi/campaigns.ts); spend the rule cannot
 * attribute is reported apart and left out of the ratio. All of an artist's revenue counts as
 * attributable (the catalogue's definition), so this is an upper bound of what the ads returned.
 *  - The ledger covers the window when the window's last sale month is in the ledger and its payment
 *    ledger calls it complete (lib/kpi/complete-months.ts). Then revenue = the ledger, each sale month weighted
 *    by the share of its days inside the window.
 *  - Until then it is `estimated`: revenue = the artist's Spotify-for-Artists streams in the window (the
 *    only per-artist daily streams) × its trailing revenue per stream = ledger earnings over its newest
 *    N due sale months (settings, default 3) ÷ its Spotify quantity in those months — so other stores
 *    ride along in the proportion they had.
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import type { KpiEnv } from '../../lib/kpi/define.ts'
import { spendByArtistDay } from '../../lib/kpi/campaigns.ts'
import { dateRangeOf, ledgerRange, monthBounds } from '../../lib/kpi/queries.ts'
import { kpiSettings } from '../../lib/kpi/settings.ts'
import { ledgerBasis } from '../../lib/kpi/complete-months.ts'
import { addMonths, daysInMonth, monthsBetween, ratio, round } from '../../lib/kpi/stats.ts'
import { calendarDays, type Window } from '../../lib/kpi/window.ts'

const E8 = 1e8

async function ledgerRevenue({ db }: KpiEnv, artists: string[], w: Window) {
  const { fromMonth, toMonth } = monthBounds(w)
  const rows = await db
    .selectFrom('revenue_lines')
    .select(['artist', 'sale_month', sql<number>`sum(earnings_e8)`.as('e8')])
    .where('sale_month', '>=', fromMonth)
    .where('sale_month', '<=', toMonth)
    .where('artist', 'in', artists)
    .groupBy(['artist', 'sale_month'])
    .execute()
  const out = new Map<string, number>()
  for (const r of rows) {
    const first = `${r.sale_month}-01`
    const last = `${r.sale_month}-${String(daysInMonth(r.sale_month)).padStart(2, '0')}`
    const inside = calendarDays({ from: first > w.from ? first : w.from, to: last < w.to ? last : w.to })
    out.set(r.artist, (out.get(r.artist) ?? 0) + (Number(r.e8) / E8) * (inside / daysInMonth(r.sale_month)))
  }
  return out
}

async function estimatedRevenue({ db }: KpiEnv, artists: string[], w: Window, today: string, complete: (month: string) => boolean) {
  const settings = kpiSettings()
  const months = await db
    .selectFrom('revenue_lines')
    .select([
      'artist',
      'sale_month',
      sql<number>`sum(earnings_e8)`.as('e8'),
      sql<number>`sum(case when platform = 'spotify' then quantity else 0 end)`.as('spotify'),
    ])
    .where('artist', 'in', artists)
    // Trailing means recent: a year of slack behind the N months keeps this an index range, not a full scan.
    .where('sale_month', '>=', addMonths(today.slice(0, 7), -(settings.roas.trailingMonths + 12)))
    .groupBy(['artist', 'sale_month'])
    .orderBy('sale_month', 'desc')
    .execute()
  const streams = await db
    .selectFrom('spotify_audience_daily')
    .select(['artist', sql<number | null>`sum(streams)`.as('streams')])
    .where('artist', 'in', artists)
    .where('date', '>=', w.from)
    .where('date', '<=', w.to)
    .groupBy('artist')
    .execute()
  const out = new Map<string, { revenue: number | null; streams: number | null; revenuePerStream: number | null; months: string[] }>()
  for (const artist of artists) {
    const trailing = months.filter((m) => m.artist === artist && complete(m.sale_month)).slice(0, settings.roas.trailingMonths)
    const rps = ratio(
      trailing.reduce((s, m) => s + Number(m.e8), 0) / E8,
      trailing.reduce((s, m) => s + Number(m.spotify), 0),
    )
    const s = streams.find((r) => r.artist === artist)?.streams
    const n = s === null || s === undefined ? null : Number(s)
    out.set(artist, {
      revenue: n === null || rps === null ? null : n * rps,
      streams: n,
      revenuePerStream: rps,
      months: trailing.map((m) => m.sale_month).sort(),
    })
  }
  return out
}

export default defineKpi({
  name: 'roas',
  title: 'ROAS',
  unit: 'ratio',
  description: "revenue attributable / ad spend for campaigns' artists in the window; estimated until the ledger covers the window",
  sources: ['metaads', 'distrokid', 'toolost', 'spotify'],
  range: dateRangeOf('ad_insights_daily'),
  async compute(env, w) {
    const settings = kpiSettings()
    const spend = await spendByArtistDay(env, w)
    const spendOf = (a: string | null) => [...(spend.get(a)?.values() ?? [])].reduce((s, c) => s + c, 0) / 100
    const artists = [...spend.keys()].filter((a): a is string => a !== null).sort()
    const newestMonth = (await ledgerRange(env)).max?.slice(0, 7) ?? null
    const { toMonth } = monthBounds(w)
    // Complete as the ledger's own history says (its stores have reported, judged at its as-of date).
    const basis = await ledgerBasis(env, settings.payment)
    const complete = (month: string) => basis.state(month).complete
    const covered = newestMonth !== null && toMonth <= newestMonth && complete(toMonth)

    const actual = covered ? await ledgerRevenue(env, artists, w) : null
    const estimate = covered ? null : await estimatedRevenue(env, artists, w, env.today, complete)
    const perArtist = artists.map((artist) => ({
      artist,
      revenue: actual ? (actual.get(artist) ?? 0) : estimate!.get(artist)!.revenue,
      spend: spendOf(artist),
    }))
    const counted = perArtist.filter((a) => a.revenue !== null && a.spend > 0)
    const unattributed = spendOf(null)
    const revenue = counted.length ? counted.reduce((s, a) => s + a.revenue!, 0) : null
    const spent = counted.reduce((s, a) => s + a.spend, 0)
    const breakdown = perArtist.map((a) => ({
      key: a.artist,
      value: ratio(a.revenue, a.spend),
      revenue: round(a.revenue, 6),
      spend: a.spend,
      ...(estimate ? { basis: estimate.get(a.artist) } : {}),
    }))
    return {
      value: ratio(revenue, spent),
      revenue: round(revenue, 6),
      spend: spent,
      ...(covered ? {} : { estimated: true }),
      breakdown: [...breakdown, ...(unattributed ? [{ key: 'unattributed', value: null, revenue: null, spend: unattributed }] : [])],
      note: covered
        ? 'ledger revenue of the campaigns’ artists, sale months weighted by their days in the window'
        : `estimated: Spotify streams × trailing revenue per stream until the ledger covers ${monthsBetween(monthBounds(w).fromMonth, toMonth).join(', ')}`,
    }
  },
})
