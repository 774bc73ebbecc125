/** YouTube loader: curated daily metrics → youtube_daily, channel totals → youtube_channels. */
import { loadFacts } from '../../lib/datasets/daily-facts.ts'
import { defineLoader } from '../../lib/define.ts'
import { FACTS } from './clean.ts'

export default defineLoader({
  source: 'youtube',
  description: 'Curated YouTube metrics → youtube_daily and youtube_channels',
  run: (ctx) => loadFacts(ctx, 'youtube', FACTS),
})
