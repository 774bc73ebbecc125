/**
 * Linktree: the admin analytics over GraphQL with the stored session's bearer token: daily views,
 * unique views, clicks and unique clicks, link and social clicks, referrers, devices, locations and the
 * lifetime totals. One account.
 */
import { defineSource } from '../../lib/source.ts'

export default defineSource({
  name: 'linktree',
  title: 'Linktree',
  // 30 days in every table but DEPLOYMENT.md (14); refresh every 14.
  // The login happens on linktr.ee; the data comes from the GraphQL host with the token the admin page holds.
  session: { kind: 'token', maxAgeDays: 30, refreshWindowDays: 14, loginPath: '/login', loginUpstream: 'web', loggedInPaths: ['/admin'] },
  upstreams: {
    main: { env: 'LINKTREE_BASE_URL', default: 'https://graph.linktr.ee' },
    web: { env: 'LINKTREE_WEB_BASE_URL', default: 'https://linktr.ee' },
  },
  tables: [{ table: 'link_daily' }, { table: 'link_clicks' }, { table: 'link_totals' }, { table: 'link_lifetime' }],
  freshness: { table: 'link_daily', dateColumn: 'date', grain: 'day', warnDays: 3, staleDays: 7 },
  fake: () => import('./fake.ts'),
})
