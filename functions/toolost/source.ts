/** TooLost: the portal's daily Spotify and Apple Music streams (and Apple per-track / per-country totals). */
import { defineSource } from '../../lib/source.ts'

export default defineSource({
  name: 'toolost',
  title: 'TooLost',
  // The JWT lives 7 days; refresh after 5 (every source agreed on these two).
  session: { kind: 'token', jwt: true, maxAgeDays: 7, refreshWindowDays: 2, loginPath: '/login', loggedInPaths: ['/user-portal'] },
  upstreams: { main: { env: 'TOOLOST_BASE_URL', default: 'https://toolost.com' } },
  tables: [{ table: 'streams_daily', where: { distributor: 'toolost' } }],
  freshness: { table: 'streams_daily', dateColumn: 'date', where: { distributor: 'toolost' }, grain: 'day', warnDays: 3, staleDays: 7 },
  fake: () => import('./fake.ts'),
})
