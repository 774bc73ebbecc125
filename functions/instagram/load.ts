/** Instagram loader: curated reach, followers and views per (date, account) → social_daily (platform instagram). */
import { loadFacts } from '../../lib/datasets/daily-facts.ts'
import { defineLoader } from '../../lib/define.ts'
import { FACTS } from './clean.ts'

export default defineLoader({
  source: 'instagram',
  description: 'Curated Instagram metrics → social_daily',
  run: (ctx) => loadFacts(ctx, 'instagram', FACTS),
})
