/** Meta Ads: the ad account's campaigns, ad sets, ads and daily campaign insights (Marketing API), and lifetime dumps. */
import { defineSource } from '../../lib/source.ts'
import { SETTINGS } from './settings.ts'

export default defineSource({
  name: 'metaads',
  title: 'Meta Ads',
  // A long-lived API token (60 days per setup_environment; 90 in one YAML), refresh in the last 30.
  // No sign-in page: a person creates a (System User) token in Business Manager and pastes it into
  // `npm run auth -- metaads`.
  session: { kind: 'token', maxAgeDays: 60, refreshWindowDays: 30 },
  upstreams: { main: { env: 'META_GRAPH_BASE_URL', default: 'https://graph.facebook.com' } },
  settings: SETTINGS,
  tables: [{ table: 'ad_campaigns' }, { table: 'ad_insights_daily' }, { table: 'ad_snapshots' }],
  // Campaigns pause between flights: a week without delivery is normal, so warn late.
  freshness: { table: 'ad_insights_daily', dateColumn: 'date', grain: 'day', warnDays: 7, staleDays: 21 },
  fake: () => import('./fake.ts'),
})
