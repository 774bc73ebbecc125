/** Mailchimp loader: curated members and daily activity → email_daily, campaigns → email_campaigns. */
import { loadFacts } from '../../lib/datasets/daily-facts.ts'
import { defineLoader } from '../../lib/define.ts'
import { FACTS } from './clean.ts'

export default defineLoader({
  source: 'mailchimp',
  description: 'Curated Mailchimp audience and campaigns → email_daily and email_campaigns',
  run: (ctx) => loadFacts(ctx, 'mailchimp', FACTS),
})
