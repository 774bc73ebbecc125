/**
 * staging → curated Linktree files, rebuilt from every capture ever staged, so days older than the
 * window Linktree still serves are kept. Where windows overlap, the latest capture wins:
 *   daily         one row per date (views, unique views, clicks, unique clicks)
 *   social_daily  one row per (date, social)
 *   totals        window totals per (window, kind): the latest capture of that window replaces older
 *                 ones as a whole; totals of different windows are never added up
 *   lifetime      one snapshot per capture day (the latest that day); never summed
 * Answers without dates (links, breakdowns) take the window of the overview answer captured with them
 * (the nearest within CAPTURE_GAP_MS); without one, their totals cannot be placed and are left out.
 */
import type { Context } from '../../lib/context.ts'
import { writeCuratedCsv, type CuratedRow } from '../../lib/lake/curated.ts'
import { newestByTime, readAll } from '../../lib/lake/merge.ts'
import type { DailyRow, TotalRow } from './staging.ts'

export const ACCOUNT = 'default'
const CAPTURE_GAP_MS = 15 * 60_000

export const CURATED = {
  daily: 'linktree_daily_curated.csv',
  socialDaily: 'linktree_social_daily_curated.csv',
  totals: 'linktree_totals_curated.csv',
  lifetime: 'linktree_lifetime_curated.csv',
} as const
export const HEADERS = {
  daily: ['date', 'account', 'views', 'unique_views', 'clicks', 'unique_clicks', 'extracted_at'],
  socialDaily: ['date', 'link_id', 'title', 'clicks', 'extracted_at'],
  totals: ['window_from', 'window_to', 'account', 'kind', 'key', 'title', 'views', 'clicks', 'extracted_at'],
  lifetime: ['date', 'account', 'views', 'clicks', 'profile_clicks', 'social_clicks', 'subscribers', 'extracted_at'],
} as const

interface Window {
  captured_at: string
  window_from: string
  window_to: string
}

const list = async <T>(ctx: Context, dataset: string) => readAll<T>(await ctx.lake.list('staging', 'linktree', dataset))

export async function curateLinktree(ctx: Context) {
  const daily = newestByTime(
    await list<DailyRow>(ctx, 'daily'),
    (r) => r.captured_at,
    (r) => r.date,
    (r) => [r.views, r.unique_views, r.clicks, r.unique_clicks].join(','),
  )
  const dailyRows = [...daily.values()].map(({ row, since }) => ({ ...row, account: ACCOUNT, extracted_at: since }))
  if (dailyRows.length) await writeCuratedCsv(ctx, 'linktree', CURATED.daily, HEADERS.daily, dailyRows, ['date'])

  type SocialDay = { date: string; name: string; clicks: number; captured_at: string }
  const social = newestByTime(
    await list<SocialDay>(ctx, 'social_daily'),
    (r) => r.captured_at,
    (r) => `${r.date}|${r.name}`,
    (r) => String(r.clicks),
  )
  const socialRows = [...social.values()].map(({ row, since }) => ({
    date: row.date,
    link_id: `social:${row.name}`,
    title: row.name,
    clicks: row.clicks,
    extracted_at: since,
  }))
  if (socialRows.length) await writeCuratedCsv(ctx, 'linktree', CURATED.socialDaily, HEADERS.socialDaily, socialRows, ['date', 'link_id'])

  const totals = await curateTotals(ctx)
  if (totals.rows.length) await writeCuratedCsv(ctx, 'linktree', CURATED.totals, HEADERS.totals, totals.rows, ['window_from', 'window_to', 'kind', 'key'])

  type Life = { captured_at: string; views: number; clicks: number; profile_clicks: number | null; social_clicks: number | null; subscribers: number | null }
  const life = newestByTime(
    await list<Life>(ctx, 'lifetime'),
    (r) => r.captured_at,
    (r) => r.captured_at.slice(0, 10),
    (r) => JSON.stringify([r.views, r.clicks, r.profile_clicks, r.social_clicks, r.subscribers]),
  )
  const lifeRows = [...life.values()].map(({ row, since }) => ({ ...row, date: row.captured_at.slice(0, 10), account: ACCOUNT, extracted_at: since }))
  if (lifeRows.length) await writeCuratedCsv(ctx, 'linktree', CURATED.lifetime, HEADERS.lifetime, lifeRows, ['date'])

  return { days: dailyRows.length, totals: totals.rows.length, unplaced: totals.unplaced, snapshots: lifeRows.length }
}

async function curateTotals(ctx: Context): Promise<{ rows: CuratedRow[]; unplaced: number }> {
  const windows = await list<Window>(ctx, 'windows')
  const titles = newestByTime(
    await list<{ captured_at: string; link_id: string; title: string | null }>(ctx, 'titles'),
    (r) => r.captured_at,
    (r) => r.link_id,
    (r) => r.title ?? '',
  )
  let unplaced = 0
  const placed: (TotalRow & { window_from: string; window_to: string })[] = []
  for (const r of await list<TotalRow>(ctx, 'totals')) {
    const w = r.window_from && r.window_to ? { window_from: r.window_from, window_to: r.window_to } : nearestWindow(windows, r.captured_at)
    if (!w) unplaced++
    else placed.push({ ...r, ...w })
  }
  // Per (window, kind) only the latest capture counts, as a whole: a newer capture may drop a key.
  const latest = new Map<string, string>()
  for (const r of placed) {
    const k = `${r.window_from}|${r.window_to}|${r.kind}`
    if (!latest.has(k) || r.captured_at > latest.get(k)!) latest.set(k, r.captured_at)
  }
  const rows = placed
    .filter((r) => latest.get(`${r.window_from}|${r.window_to}|${r.kind}`) === r.captured_at)
    .map((r) => ({ ...r, account: ACCOUNT, title: r.kind === 'link' ? (titles.get(r.key)?.row.title ?? null) : r.title, extracted_at: r.captured_at }))
  return { rows, unplaced }
}

function nearestWindow(windows: Window[], at: string): { window_from: string; window_to: string } | null {
  const t = Date.parse(at)
  let best: Window | null = null
  for (const w of windows) {
    const gap = Math.abs(Date.parse(w.captured_at) - t)
    if (gap <= CAPTURE_GAP_MS && (!best || gap < Math.abs(Date.parse(best.captured_at) - t))) best = w
  }
  return best && { window_from: best.window_from, window_to: best.window_to }
}
