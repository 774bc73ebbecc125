/**
 * TooLost loader: TooLost's rows of the curated tidy daily streams → streams_daily, one row per
 * (date, 'toolost', platform), upserted in one transaction. The tidy file is shared with other
 * distributors, so its hash changes when they load too; the upsert then rewrites nothing of ours.
 */
import { defineLoader } from '../../lib/define.ts'
import { loadDistributorStreams, tidyPath } from '../../lib/datasets/tidy-daily-streams.ts'
import { withBulkWriter } from '../../lib/warehouse/bulk.ts'
import { changedCurated, markLoaded } from '../../lib/warehouse/loaded.ts'
import { loadTotals, totalsFiles } from './totals.ts'

export default defineLoader({
  source: 'toolost',
  description: 'Curated TooLost daily streams → streams_daily',
  async run(ctx) {
    const { db } = ctx.wh
    const pending = await changedCurated(db, 'toolost', [{ name: 'tidy', path: tidyPath(ctx) }, ...totalsFiles(ctx)])
    if (!pending.length) return { status: 'skipped', message: 'curated data unchanged since the last load (or none yet)' }
    const { result, changes } = await withBulkWriter(ctx.config.warehouseFile, async (w) => {
      const tidy = pending.find((f) => f.name === 'tidy')
      const daily = tidy ? await loadDistributorStreams(w, tidy.path, 'toolost', ctx.runId) : { rowsIn: 0, newest: null }
      let totals = 0
      // Track and country totals: window snapshots (functions/toolost/totals.ts), in the same transaction.
      for (const f of pending.filter((f) => f.name !== 'tidy')) totals += await loadTotals(w, f, ctx.runId)
      return { ...daily, rowsIn: daily.rowsIn + totals }
    })
    await markLoaded(db, 'toolost', pending, result.newest)
    return {
      status: 'ok',
      filesIn: pending.length,
      rowsIn: result.rowsIn,
      rowsOut: changes,
      message: `${changes} of ${result.rowsIn} TooLost rows inserted or changed`,
    }
  },
})
