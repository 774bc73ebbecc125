/**
 * Instagram (Graph API account insights, Instagram Login: external_apis.md §9): daily reach and
 * followers, daily views. The credential is the label's long-lived Instagram token (60 days), stored with
 * `npm run auth -- instagram` and renewed by each run once it is a day old, so the source runs unattended
 * for as long as it runs at least every 60 days.
 */
import { z } from 'zod'
import { defineSource } from '../../lib/source.ts'

export default defineSource({
  name: 'instagram',
  title: 'Instagram',
  // The account's IG user id, or `me` (the token's own account).
  accounts: [{ name: 'default', id: 'me' }],
  session: { kind: 'token', maxAgeDays: 60, refreshWindowDays: 10 },
  upstreams: { main: { env: 'INSTAGRAM_BASE_URL', default: 'https://graph.instagram.com' } },
  settings: {
    graphVersion: {
      env: 'INSTAGRAM_GRAPH_VERSION',
      schema: z
        .string()
        .regex(/^v\d+\.\d+$/)
        .default('v23.0'),
    },
  },
  tables: [{ table: 'social_daily', where: { platform: 'instagram' } }],
  freshness: { table: 'social_daily', dateColumn: 'date', where: { platform: 'instagram' }, grain: 'day', warnDays: 4, staleDays: 8 },
  fake: () => import('./fake.ts'),
})
