/**
 * TooLost cleaner: landing → raw → staging per payload (staging.ts), then TooLost's rows of the shared
 * curated `tidy_daily_streams.csv`: one value per (platform, date) over every staging file, the newest
 * extract winning.
 *
 * The original kept only the latest snapshot, so every January, when `thisYear` restarted, the previous
 * year vanished from curated [AVOID, seed_pipeline.md §3.1]. Here the merge runs over all extracts ever
 * staged, so days that only older extracts carry stay; a value a newer extract merely repeats keeps
 * its first extraction time, so a daily re-read of unchanged data leaves the curated file untouched.
 */
import { defineCleaner } from '../../lib/define.ts'
import { pivotDaily, readTidy, replaceDistributorRows, tidyPath } from '../../lib/datasets/tidy-daily-streams.ts'
import { exists } from '../../lib/lake/lake.ts'
import { newestValueWins } from '../../lib/lake/merge.ts'
import { describePromotion, promoteLanding } from '../../lib/lake/promote.ts'
import type { Context } from '../../lib/context.ts'
import { classifyHead } from './payloads.ts'
import { promotePayload, type DailyStreams } from './staging.ts'
import { curateTotals, TOTALS } from './totals.ts'

export default defineCleaner({
  source: 'toolost',
  description: 'Spotify and Apple Music analytics payloads → staging blocks and TooLost rows of tidy daily streams',
  classify: classifyHead,
  async run(ctx) {
    const summary = await promoteLanding(ctx, 'toolost', promotePayload)
    const staged = await ctx.lake.list('staging', 'toolost', 'daily_streams')
    let curatedDays: number | null = null
    if (staged.length && (summary.filesOut > 0 || !(await hasTooLostRows(ctx)))) {
      const daily = await newestValueWins<DailyStreams>(
        staged,
        (r) => `${r.platform}|${r.date}`,
        (r) => r.streams,
      )
      const rows = pivotDaily('toolost', daily)
      await replaceDistributorRows(ctx, 'toolost', rows)
      curatedDays = rows.length
    }
    // Per-track and per-country totals: curated whenever something new was promoted or a file is missing.
    if (summary.filesOut > 0 || !(await hasTotals(ctx))) await curateTotals(ctx)
    const problems = describePromotion(summary)
    const done = curatedDays === null ? undefined : `${summary.filesOut} payloads promoted; ${curatedDays} TooLost days curated`
    return {
      status: summary.refused.length ? 'failed' : summary.filesIn === 0 ? 'skipped' : 'ok',
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

async function hasTotals(ctx: Context): Promise<boolean> {
  for (const t of Object.values(TOTALS)) {
    const staged = (await ctx.lake.list('staging', 'toolost', t.dataset)).length
    if (staged && !(await exists(ctx.lake.curatedPath('toolost', t.file)))) return false
  }
  return true
}

/** Curated lost TooLost's rows (deleted by hand, restored from an old copy): rebuild even with nothing new. */
async function hasTooLostRows(ctx: Context): Promise<boolean> {
  return (await readTidy(tidyPath(ctx))).some((r) => r.distributor === 'toolost')
}
