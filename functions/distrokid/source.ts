/** DistroKid: daily stats pages (Spotify estimates, Apple Music) and the bank-details ledger. */
import { z } from 'zod'
import { defineSource } from '../../lib/source.ts'

export default defineSource({
  name: 'distrokid',
  title: 'DistroKid',
  // The documents say 12 to 90 days; the session cookie outlives a month only rarely in practice, and
  // the people asked for a reminder every 10–12 days: 30 days with a 10-day window.
  session: {
    kind: 'browser',
    maxAgeDays: 30,
    refreshWindowDays: 10,
    criticalCookies: ['dk_session'],
    loginPath: '/signin',
    loggedInPaths: ['/dashboard', '/mymusic', '/stats'],
  },
  upstreams: { main: { env: 'DISTROKID_BASE_URL', default: 'https://distrokid.com' } },
  settings: {
    // The ledger gains lines a few times a month (statements are monthly) and its KPIs warn only after
    // 45 days, while downloading it drives a browser (seconds, the bulk of a daily run): a daily run
    // downloads it when the newest one in landing is this many days old. 0: every run.
    ledgerEveryDays: { env: 'BEDROT_DISTROKID_LEDGER_EVERY_DAYS', schema: z.coerce.number().int().min(0).max(45).default(7) },
  },
  tables: [
    { table: 'streams_daily', where: { distributor: 'distrokid' } },
    { table: 'revenue_lines', where: { distributor: 'distrokid' } },
  ],
  freshness: { table: 'streams_daily', dateColumn: 'date', where: { distributor: 'distrokid' }, grain: 'day', warnDays: 3, staleDays: 7 },
  fake: () => import('./fake.ts'),
})
