/**
 * Mailchimp (Marketing API v3, external_apis.md §8): audience size per list, daily subscribes and
 * unsubscribes, campaign reports. Aggregate endpoints only; the credential is the label's API key
 * (`npm run auth -- mailchimp`), which does not expire until it is revoked.
 */
import { defineSource } from '../../lib/source.ts'

export default defineSource({
  name: 'mailchimp',
  title: 'Mailchimp',
  session: { kind: 'token', maxAgeDays: 3650, refreshWindowDays: 0 },
  // `{dc}` is the data centre, the suffix of the API key (`…-us6` → us6).
  upstreams: { main: { env: 'MAILCHIMP_BASE_URL', default: 'https://{dc}.api.mailchimp.com/3.0' } },
  tables: [{ table: 'email_daily' }, { table: 'email_campaigns' }],
  freshness: { table: 'email_daily', dateColumn: 'date', grain: 'day', warnDays: 3, staleDays: 7 },
  fake: () => import('./fake.ts'),
})
