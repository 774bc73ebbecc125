/**
 * YouTube (external_apis.md §7): daily channel metrics from the Analytics API v2 and channel totals from
 * the Data API v3, with the label's OAuth refresh token (stored by `npm run auth -- youtube`). Each run
 * trades the refresh token for an hour-long access token and renews it before it runs out; the refresh
 * token itself lasts until it is revoked (7 days for an app left in "Testing").
 */
import { z } from 'zod'
import { defineSource } from '../../lib/source.ts'

export default defineSource({
  name: 'youtube',
  title: 'YouTube',
  // The channel: `MINE` (the token's own channel) or a `UC…` id.
  accounts: [{ name: 'default', id: 'MINE' }],
  session: { kind: 'token', maxAgeDays: 180, refreshWindowDays: 14 },
  upstreams: {
    main: { env: 'YOUTUBE_ANALYTICS_BASE_URL', default: 'https://youtubeanalytics.googleapis.com' },
    data: { env: 'YOUTUBE_DATA_BASE_URL', default: 'https://www.googleapis.com' },
    oauth: { env: 'GOOGLE_OAUTH_BASE_URL', default: 'https://oauth2.googleapis.com' },
  },
  settings: {
    clientId: { env: 'YOUTUBE_CLIENT_ID', schema: z.string().min(1).optional() },
    clientSecret: { env: 'YOUTUBE_CLIENT_SECRET', schema: z.string().min(1).optional(), secret: true },
  },
  tables: [{ table: 'youtube_daily' }, { table: 'youtube_channels' }],
  freshness: { table: 'youtube_daily', dateColumn: 'date', grain: 'day', warnDays: 4, staleDays: 8 },
  fake: () => import('./fake.ts'),
})
