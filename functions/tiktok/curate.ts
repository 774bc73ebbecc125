/**
 * staging → curated `tiktok_daily_curated.csv`, one row per (account, date) over every export ever
 * staged. Restated days: the newest download wins, by the download time in the export's own name
 * (not the file's bytes: the same CSV arrives in ZIPs with different bytes). Days only older exports
 * carry are kept. A value a newer export merely repeats keeps the time it was first seen, so a daily
 * re-read of unchanged days leaves the curated file as it was.
 */
import type { Context } from '../../lib/context.ts'
import { writeCuratedCsv, type CuratedRow } from '../../lib/lake/curated.ts'
import { newestByTime, readAll } from '../../lib/lake/merge.ts'
import { canonicalArtist } from '../../lib/names.ts'
import type { DailyRow, FollowersRow } from './staging.ts'

export const CURATED_FILE = 'tiktok_daily_curated.csv'
export const HEADER = ['date', 'account', 'artist', 'views', 'profile_views', 'likes', 'comments', 'shares', 'followers', 'extracted_at'] as const
const MEASURES = ['views', 'profile_views', 'likes', 'comments', 'shares'] as const

async function rowsOf<T>(ctx: Context, dataset: string): Promise<T[]> {
  return readAll<T>(await ctx.lake.list('staging', 'tiktok', dataset))
}

export async function curateTikTok(ctx: Context): Promise<{ days: number; accounts: number }> {
  const daily = newestByTime(
    await rowsOf<DailyRow>(ctx, 'daily'),
    (r) => r.downloaded_at,
    (r) => `${r.account}|${r.date}`,
    (r) => MEASURES.map((m) => r[m]).join(','),
  )
  const followers = newestByTime(
    await rowsOf<FollowersRow>(ctx, 'followers'),
    (r) => r.captured_at,
    (r) => `${r.account}|${r.date}`,
    (r) => String(r.followers),
  )
  const out = new Map<string, CuratedRow>()
  const row = (account: string, date: string) => {
    const k = `${account}|${date}`
    let r = out.get(k)
    if (!r)
      out.set(
        k,
        (r = {
          date,
          account,
          artist: canonicalArtist(account),
          views: null,
          profile_views: null,
          likes: null,
          comments: null,
          shares: null,
          followers: null,
          extracted_at: '',
        }),
      )
    return r
  }
  for (const { row: d, since } of daily.values()) {
    const r = row(d.account, d.date)
    for (const m of MEASURES) r[m] = d[m]
    if (since > (r.extracted_at as string)) r.extracted_at = since
  }
  for (const { row: f, since } of followers.values()) {
    const r = row(f.account, f.date)
    r.followers = f.followers
    if (since > (r.extracted_at as string)) r.extracted_at = since
  }
  if (out.size) await writeCuratedCsv(ctx, 'tiktok', CURATED_FILE, HEADER, [...out.values()], ['date', 'account'])
  return { days: out.size, accounts: new Set([...out.values()].map((r) => r.account)).size }
}
