/**
 * TikTok loader: curated daily rows → social_daily (platform 'tiktok'), upserted on (date, platform,
 * account) in one transaction; a curated file whose bytes were already loaded is skipped. An empty
 * cell (followers on days without a snapshot) is NULL, never 0.
 */
import { defineLoader } from '../../lib/define.ts'
import { intOrNull } from '../../lib/lake/curated.ts'
import { readCsv } from '../../lib/lake/lines.ts'
import { withBulkWriter } from '../../lib/warehouse/bulk.ts'
import { changedCurated, markLoaded } from '../../lib/warehouse/loaded.ts'
import { CURATED_FILE } from './curate.ts'

const SOCIAL = {
  table: 'social_daily',
  key: ['date', 'platform', 'account'],
  measures: ['artist', 'views', 'profile_views', 'likes', 'comments', 'shares', 'followers'],
  lineage: ['extracted_at', 'run_id'],
} as const

export default defineLoader({
  source: 'tiktok',
  description: 'Curated TikTok daily rows → social_daily',
  async run(ctx) {
    const { db } = ctx.wh
    const pending = await changedCurated(db, 'tiktok', [{ name: 'daily', path: ctx.lake.curatedPath('tiktok', CURATED_FILE) }])
    if (!pending.length) return { status: 'skipped', message: 'curated data unchanged since the last load (or none yet)' }
    let rowsIn = 0
    let newest: string | null = null
    const { changes } = await withBulkWriter(ctx.config.warehouseFile, async (w) => {
      const put = w.upsert(SOCIAL)
      for await (const r of readCsv(pending[0].path)) {
        rowsIn++
        put([
          r.date,
          'tiktok',
          r.account,
          r.artist || null,
          intOrNull(r.views),
          intOrNull(r.profile_views),
          intOrNull(r.likes),
          intOrNull(r.comments),
          intOrNull(r.shares),
          intOrNull(r.followers),
          r.extracted_at,
          ctx.runId,
        ])
        if (!newest || r.date > newest) newest = r.date
      }
    })
    await markLoaded(db, 'tiktok', pending, newest)
    return { status: 'ok', filesIn: 1, rowsIn, rowsOut: changes, message: `${changes} of ${rowsIn} TikTok rows inserted or changed` }
  },
})
