/**
 * Meta cleaner: landing → raw → staging per file (staging.ts), then the curated files (curate.ts):
 * campaigns, ad sets and ads by id, daily insights merged on (date, campaign, ad set) with restated
 * windows superseding, and lifetime snapshots kept per snapshot time. Landing files are classified by
 * content (imports), never by name.
 */
import { defineCleaner } from '../../lib/define.ts'
import { describePromotion, promoteLanding } from '../../lib/lake/promote.ts'
import type { Context } from '../../lib/context.ts'
import { exists } from '../../lib/lake/lake.ts'
import { CURATED, curateMeta } from './curate.ts'
import { classifyHead } from './payloads.ts'
import { promoteMetaFile } from './staging.ts'

export default defineCleaner({
  source: 'metaads',
  description: 'Meta campaigns, ad sets, ads, daily insights and lifetime dumps → staging and curated',
  classify: classifyHead,
  async run(ctx) {
    const summary = await promoteLanding(ctx, 'metaads', promoteMetaFile)
    const hasStaging = (await ctx.lake.list('staging', 'metaads')).length > 0
    let counts: Awaited<ReturnType<typeof curateMeta>> | null = null
    // Rebuild when something new was staged, or when curated was lost while staging remains.
    if (summary.filesOut > 0 || (hasStaging && !(await curatedPresent(ctx)))) counts = await curateMeta(ctx)
    const done = counts
      ? `${summary.filesOut} files promoted; curated ${counts.campaigns} campaigns, ${counts.adsets} ad sets, ${counts.ads} ads, ${counts.days} campaign-days, ${counts.snapshots} snapshot rows`
      : undefined
    const problems = describePromotion(summary)
    return {
      status: summary.refused.length ? 'failed' : summary.filesIn === 0 && !counts ? 'skipped' : 'ok',
      severity: summary.refused.length || summary.rowsQuarantined ? 'medium' : undefined,
      message: [done, problems].filter(Boolean).join('; ') || (summary.filesIn === 0 ? 'nothing new in landing' : undefined),
      filesIn: summary.filesIn,
      filesOut: summary.filesOut,
      rowsIn: summary.rowsIn,
      rowsOut: summary.rowsOut,
      rowsQuarantined: summary.rowsQuarantined,
    }
  },
})

async function curatedPresent(ctx: Context): Promise<boolean> {
  for (const name of Object.values(CURATED)) if (await exists(ctx.lake.curatedPath('metaads', name))) return true
  return false
}
