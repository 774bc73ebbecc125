/**
 * TooLost loader: TooLost's rows of the curated tidy daily streams → streams_daily, one row per
 * (date, 'toolost', platform), upserted in one transaction. A day a platform did not report has no
 * row (never a 0). The tidy file is shared with other distributors, so its hash changes when they
 * load too; the upsert then rewrites nothing of ours.
 */
import { defineLoader } from '../../lib/define.ts'
import { readTidy, tidyPath } from '../../lib/datasets/tidy-daily-streams.ts'
import { sha256File } from '../../lib/lake/hash.ts'
import { exists } from '../../lib/lake/lake.ts'
import { withBulkWriter } from '../../lib/warehouse/bulk.ts'
import { getState, setState } from '../../lib/warehouse/state.ts'

const STREAMS = {
  table: 'streams_daily',
  key: ['date', 'distributor', 'platform'],
  measures: ['streams'],
  lineage: ['extracted_at', 'run_id'],
} as const

export default defineLoader({
  source: 'toolost',
  description: 'Curated TooLost daily streams → streams_daily',
  async run(ctx) {
    const { db } = ctx.wh
    const file = tidyPath(ctx)
    if (!(await exists(file))) return { status: 'skipped', message: 'no curated daily streams yet' }
    const hash = await sha256File(file)
    if ((await getState(db, 'toolost', 'loaded:tidy')) === hash) {
      return { status: 'skipped', message: 'curated data unchanged since the last load' }
    }

    const rows = (await readTidy(file)).filter((r) => r.distributor === 'toolost')
    let rowsIn = 0
    let newest: string | null = null
    const { changes } = await withBulkWriter(ctx.config.warehouseFile, async (w) => {
      const put = w.upsert(STREAMS)
      for (const r of rows) {
        for (const [platform, streams] of [['spotify', r.spotify], ['apple', r.apple]] as const) {
          if (streams === null) continue
          rowsIn++
          put([r.date, 'toolost', platform, streams, r.extractedAt, ctx.runId])
        }
        if (!newest || r.date > newest) newest = r.date
      }
    })
    await setState(db, 'toolost', 'loaded:tidy', hash)
    if (newest) await setState(db, 'toolost', 'newest_business_date', newest)
    return { status: 'ok', filesIn: 1, rowsIn, rowsOut: changes, message: `${changes} of ${rowsIn} TooLost rows inserted or changed` }
  },
})
