/**
 * TikTok cleaner: Studio export ZIPs and follower snapshots → staging (staging.ts), then the curated
 * daily file over everything ever staged (curate.ts). A refused file (truncated ZIP, a label that does
 * not match its computed date, a name without the account) stays in landing and fails the step.
 */
import { defineCleaner } from '../../lib/define.ts'
import { RefusedFile } from '../../lib/errors.ts'
import { exists } from '../../lib/lake/lake.ts'
import { describePromotion, promoteLanding } from '../../lib/lake/promote.ts'
import { CURATED_FILE, curateTikTok } from './curate.ts'
import { promoteFollowers, promoteOverview } from './staging.ts'

/** Imports by content: a ZIP (local-file signature) holding a CSV is a Studio export. */
export function classifyTikTok(head: string): string | null {
  return head.startsWith('PK\u0003\u0004') && /\.csv/i.test(head.slice(0, 4096)) ? 'overview' : null
}

export default defineCleaner({
  source: 'tiktok',
  description: 'TikTok Studio Overview exports (ZIP/CSV) and follower snapshots → curated daily TikTok per account',
  classify: classifyTikTok,
  async run(ctx) {
    const summary = await promoteLanding(ctx, 'tiktok', (file, sink) => {
      if (file.dataset === 'overview') return promoteOverview(file, sink)
      if (file.dataset === 'followers') return promoteFollowers(file, sink)
      throw new RefusedFile(`unknown TikTok landing dataset '${file.dataset}'`)
    })
    const nothingNew = summary.filesOut === 0 && (await exists(ctx.lake.curatedPath('tiktok', CURATED_FILE)))
    const curated = nothingNew ? null : await curateTikTok(ctx)
    const parts = [
      curated ? `curated ${curated.days} account-days (${curated.accounts} accounts)` : summary.filesIn === 0 ? 'nothing new in landing' : undefined,
      describePromotion(summary),
    ]
    return {
      status: summary.refused.length ? 'failed' : summary.filesIn === 0 ? 'skipped' : 'ok',
      severity: summary.refused.length || summary.rowsQuarantined ? 'medium' : undefined,
      message: parts.filter(Boolean).join('; ') || undefined,
      filesIn: summary.filesIn,
      filesOut: summary.filesOut,
      rowsIn: summary.rowsIn,
      rowsOut: summary.rowsOut,
      rowsQuarantined: summary.rowsQuarantined,
    }
  },
})
