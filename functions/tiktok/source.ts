/**
 * TikTok Studio: per creator account, the 365-day Overview export (video views, profile views, likes,
 * comments, shares per day) and a follower snapshot, each account with its own browser session. The
 * label adds an account without a code change: `BEDROT_TIKTOK_ACCOUNTS="zone.a0,pig1987,newhandle"`.
 */
import { z } from 'zod'
import { defineSource } from '../../lib/source.ts'

export default defineSource({
  name: 'tiktok',
  title: 'TikTok',
  accounts: [{ name: 'zone.a0' }, { name: 'pig1987' }],
  // 30 days everywhere but run_with_auth_check (7); people refresh every 5–6 days, hence a 7-day window.
  session: {
    kind: 'browser',
    maxAgeDays: 30,
    refreshWindowDays: 7,
    criticalCookies: ['sessionid', 'sid_guard'],
    loginPath: '/login',
    loggedInPaths: ['/tiktokstudio'],
  },
  upstreams: { main: { env: 'TIKTOK_BASE_URL', default: 'https://www.tiktok.com' } },
  settings: {
    // The Overview export drives a browser (seconds per account) and TikTok throttles repeated exports,
    // while its days move at most daily: a run exports again when the account's newest export in landing
    // is this many hours old (20: a daily cron always exports, a same-day re-run does not). The follower
    // snapshot is a plain HTTP read and is taken every run. 0: export every run.
    exportEveryHours: { env: 'BEDROT_TIKTOK_EXPORT_EVERY_HOURS', schema: z.coerce.number().min(0).max(168).default(20) },
  },
  tables: [{ table: 'social_daily', where: { platform: 'tiktok' } }],
  freshness: { table: 'social_daily', dateColumn: 'date', where: { platform: 'tiktok' }, grain: 'day', warnDays: 3, staleDays: 7 },
  fake: () => import('./fake.ts'),
})
