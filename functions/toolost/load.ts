/**
 * TooLost loader: TooLost's rows of the curated tidy daily streams → streams_daily, one row per
 * (date, 'toolost', platform), upserted in one transaction. The tidy file is shared with other
 * distributors, so its hash changes when they load too; the upsert then rewrites nothing of ours.
 */
import { defineLoader } from '../../lib/define.ts'
import { loadDistributorStreams, tidyPath } from '../../lib/datasets/tidy-daily-streams.ts'
import { withBulkWriter } from '../../lib/warehouse/bulk.ts'
import { changedCurated, markLoaded } from '../../lib/warehouse/loaded.ts'

export default defineLoader({
  source: 'toolost',
  description: 'Curated TooLost daily streams → streams_daily',
  async run(ctx) {
    const { db } = ctx.wh
    const pending = await changedCurated(db, 'toolost', [{ name: 'tidy', path: tidyPath(ctx) }])
    if (!pending.length) return { status: 'skipped', message: 'curated data unchanged since the last load (or none yet)' }
    const { result, changes } = await withBulkWriter(ctx.config.warehouseFile, (w) => loadDistributorStreams(w, pending[0].path, 'toolost', ctx.runId))
    await markLoaded(db, 'toolost', pending, result.newest)
    return { status: 'ok', filesIn: 1, rowsIn: result.rowsIn, rowsOut: changes, message: `${changes} of ${result.rowsIn} TooLost rows inserted or changed` }
  },
})
