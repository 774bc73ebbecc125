/**
 * KPI 31: how many days after TikTok views or Meta spend an artist's Spotify streams move. For each
 * artist with Spotify-for-Artists streams in the window and each channel, Pearson's r of the channel's
 * day d − L against the streams of day d, for every stream day d in the window and lags L = 0…56
 * (settings); the best lag is the one with the largest r. A lag's r needs at least `minDays` (settings,
 * default 28) days where both are reported, else it is null. Days without a TikTok row are not reported;
 * days inside Meta's reported range without spend for the artist's campaigns are 0 spend. Correlation is
 * not attribution: the answer is `estimated`.
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { spendByArtistDay } from '../../lib/kpi/campaigns.ts'
import { dateRangeOf } from '../../lib/kpi/queries.ts'
import { canonicalArtist } from '../../lib/names.ts'
import { kpiSettings } from '../../lib/kpi/settings.ts'
import { pearson } from '../../lib/kpi/stats.ts'
import { addDays } from '../../lib/kpi/window.ts'

type Daily = Map<string, number>

function lagScan(x: Daily, y: Daily, maxLag: number, minDays: number) {
  const lags = []
  for (let lag = 0; lag <= maxLag; lag++) {
    const xs: number[] = []
    const ys: number[] = []
    for (const [date, streams] of y) {
      const v = x.get(addDays(date, -lag))
      if (v === undefined) continue
      xs.push(v)
      ys.push(streams)
    }
    lags.push({ lag, r: xs.length >= minDays ? pearson(xs, ys) : null, days: xs.length })
  }
  const best = lags.filter((l) => l.r !== null).sort((a, b) => b.r! - a.r! || a.lag - b.lag)[0] ?? null
  return { best, lags }
}

export default defineKpi({
  name: 'attribution-lag',
  title: 'Attribution lag',
  unit: 'r',
  description: 'Pearson r of daily TikTok views and of daily Meta spend against Spotify streams for the same artist at lags 0…56 days; best lag and r',
  sources: ['spotify', 'tiktok', 'metaads'],
  range: dateRangeOf('spotify_audience_daily'),
  async compute(env, w) {
    const { maxLag, minDays } = kpiSettings().attribution
    const early = { from: addDays(w.from, -maxLag), to: w.to }
    const streams = await env.db
      .selectFrom('spotify_audience_daily')
      .select(['artist', 'date', 'streams'])
      .where('streams', 'is not', null)
      .where('date', '>=', w.from)
      .where('date', '<=', w.to)
      .execute()
    const tiktok = await env.db
      .selectFrom('social_daily')
      .select(['artist', 'account', 'date', 'views'])
      .where('platform', '=', 'tiktok')
      .where('views', 'is not', null)
      .where('date', '>=', early.from)
      .where('date', '<=', early.to)
      .execute()
    const spend = await spendByArtistDay(env, early)
    const { rows: metaRange } = await sql<{
      min: string | null
      max: string | null
    }>`select min(date) as min, max(date) as max from ad_insights_daily`.execute(env.db)
    const metaFrom = metaRange[0]?.min
    const metaTo = metaRange[0]?.max

    const breakdown = []
    for (const artist of [...new Set(streams.map((r) => r.artist))].sort()) {
      const y: Daily = new Map(streams.filter((r) => r.artist === artist).map((r) => [r.date, r.streams!]))
      const views: Daily = new Map()
      for (const r of tiktok) {
        if (canonicalArtist(r.artist ?? r.account) === artist) views.set(r.date, (views.get(r.date) ?? 0) + r.views!)
      }
      const spent: Daily = new Map()
      if (metaFrom && metaTo) {
        const own = spend.get(artist)
        for (let d = early.from < metaFrom ? metaFrom : early.from; d <= (early.to < metaTo ? early.to : metaTo); d = addDays(d, 1))
          spent.set(d, (own?.get(d) ?? 0) / 100)
      }
      for (const [channel, x] of [
        ['tiktok', views],
        ['meta', spent],
      ] as const) {
        const { best, lags } = lagScan(x, y, maxLag, minDays)
        breakdown.push({
          key: `${artist} · ${channel}`,
          artist,
          channel,
          value: best?.r ?? null,
          lag: best?.lag ?? null,
          days: best?.days ?? Math.max(0, ...lags.map((l) => l.days)),
          lags,
        })
      }
    }
    const strongest = breakdown.filter((b) => b.value !== null).sort((a, b) => b.value! - a.value!)[0]
    return {
      value: strongest?.value ?? null,
      best: strongest ? { artist: strongest.artist, channel: strongest.channel, lag: strongest.lag } : null,
      estimated: true,
      minDays,
      breakdown,
      note: strongest
        ? `correlation, not proof of cause; each lag needs at least ${minDays} days where both series are reported`
        : `too few overlapping days: each lag needs at least ${minDays} days where both the channel and the Spotify streams are reported`,
    }
  },
})
