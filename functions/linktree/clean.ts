/**
 * Linktree cleaner: every captured GraphQL answer → raw, classified by its payload keys into staging
 * (staging.ts), then the curated files over all captures ever staged (curate.ts). An error answer or a
 * file that is not JSON is refused and stays in landing.
 */
import { defineCleaner } from '../../lib/define.ts'
import { RefusedFile } from '../../lib/errors.ts'
import { exists } from '../../lib/lake/lake.ts'
import { describePromotion, promoteLanding } from '../../lib/lake/promote.ts'
import { CURATED, curateLinktree } from './curate.ts'
import { classifyHead } from './payloads.ts'
import { promoteGraphql } from './staging.ts'

export default defineCleaner({
  source: 'linktree',
  description: 'Linktree GraphQL answers, classified by payload → curated daily views/clicks, link and referrer totals, lifetime snapshots',
  classify: classifyHead,
  async run(ctx) {
    const kinds = new Map<string, number>()
    const summary = await promoteLanding(ctx, 'linktree', async (file, sink) => {
      if (file.dataset !== 'graphql') throw new RefusedFile(`unknown Linktree landing dataset '${file.dataset}'`)
      const kind = await promoteGraphql(file, sink)
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
    })
    const nothingNew = summary.filesOut === 0 && (await exists(ctx.lake.curatedPath('linktree', CURATED.daily)))
    const curated = nothingNew ? null : await curateLinktree(ctx)
    const seen = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ')
    const parts = [
      seen ? `answers: ${seen}` : undefined,
      curated
        ? `curated ${curated.days} days, ${curated.totals} window totals, ${curated.snapshots} lifetime snapshots`
        : summary.filesIn === 0
          ? 'nothing new in landing'
          : undefined,
      curated?.unplaced ? `${curated.unplaced} totals left out: no overview answer captured with them gives their window` : undefined,
      describePromotion(summary),
    ]
    return {
      status: summary.refused.length ? 'failed' : summary.filesIn === 0 ? 'skipped' : 'ok',
      severity: summary.refused.length || summary.rowsQuarantined || curated?.unplaced ? 'medium' : undefined,
      message: parts.filter(Boolean).join('; ') || undefined,
      filesIn: summary.filesIn,
      filesOut: summary.filesOut,
      rowsIn: summary.rowsIn,
      rowsOut: summary.rowsOut,
      rowsQuarantined: summary.rowsQuarantined,
    }
  },
})
