/** TooLost: the portal's daily Spotify and Apple Music streams (and Apple per-track / per-country totals). */
import { defineSource } from '../../lib/source.ts'

export default defineSource({
  name: 'toolost',
  title: 'TooLost',
  // The JWT lives 7 days; runs renew it from the portal's login cookie (session.ts). ASSUMPTION: that
  // cookie is Laravel's `toolost_session` and lasts a month; a stored login without it is bounded by
  // the JWT's own exp (7 days, refresh after 5), as before.
  session: {
    kind: 'token',
    jwt: true,
    criticalCookies: ['toolost_session'],
    maxAgeDays: 30,
    refreshWindowDays: 5,
    loginPath: '/login',
    loggedInPaths: ['/user-portal'],
  },
  upstreams: { main: { env: 'TOOLOST_BASE_URL', default: 'https://toolost.com' } },
  tables: [
    { table: 'streams_daily', where: { distributor: 'toolost' } },
    { table: 'track_streams_snapshot', where: { distributor: 'toolost' } },
    { table: 'country_streams_snapshot', where: { distributor: 'toolost' } },
  ],
  freshness: { table: 'streams_daily', dateColumn: 'date', where: { distributor: 'toolost' }, grain: 'day', warnDays: 3, staleDays: 7 },
  fake: () => import('./fake.ts'),
})
