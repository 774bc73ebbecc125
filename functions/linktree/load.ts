/**
 * Linktree loader: curated daily views/clicks → link_daily, daily social clicks → link_clicks
 * (link_id `social:<name>`), window totals → link_totals, lifetime snapshots → link_lifetime; each
 * upserted on its natural key in one transaction. Curated files already loaded are skipped.
 */
import { defineLoader } from '../../lib/define.ts'
import { intOrNull } from '../../lib/lake/curated.ts'
import { readCsv } from '../../lib/lake/lines.ts'
import { withBulkWriter, type UpsertSpec } from '../../lib/warehouse/bulk.ts'
import { changedCurated, markLoaded } from '../../lib/warehouse/loaded.ts'
import { CURATED } from './curate.ts'

const lineage = ['extracted_at', 'run_id'] as const
const SPECS: Record<keyof typeof CURATED, UpsertSpec & { values: (r: Record<string, string>) => unknown[] }> = {
  daily: {
    table: 'link_daily',
    key: ['date', 'account'],
    measures: ['views', 'unique_views', 'clicks', 'unique_clicks'],
    lineage,
    values: (r) => [r.date, r.account, intOrNull(r.views), intOrNull(r.unique_views), intOrNull(r.clicks), intOrNull(r.unique_clicks)],
  },
  socialDaily: {
    table: 'link_clicks',
    key: ['date', 'link_id'],
    measures: ['title', 'clicks'],
    lineage,
    values: (r) => [r.date, r.link_id, r.title || null, intOrNull(r.clicks)],
  },
  totals: {
    table: 'link_totals',
    key: ['account', 'window_from', 'window_to', 'kind', 'key'],
    measures: ['title', 'views', 'clicks'],
    lineage,
    values: (r) => [r.account, r.window_from, r.window_to, r.kind, r.key, r.title || null, intOrNull(r.views), intOrNull(r.clicks)],
  },
  lifetime: {
    table: 'link_lifetime',
    key: ['date', 'account'],
    measures: ['views', 'clicks', 'profile_clicks', 'social_clicks', 'subscribers'],
    lineage,
    values: (r) => [
      r.date,
      r.account,
      intOrNull(r.views),
      intOrNull(r.clicks),
      intOrNull(r.profile_clicks),
      intOrNull(r.social_clicks),
      intOrNull(r.subscribers),
    ],
  },
}

export default defineLoader({
  source: 'linktree',
  description: 'Curated Linktree files → link_daily, link_clicks, link_totals, link_lifetime',
  async run(ctx) {
    const { db } = ctx.wh
    const files = (Object.keys(CURATED) as (keyof typeof CURATED)[]).map((name) => ({ name, path: ctx.lake.curatedPath('linktree', CURATED[name]) }))
    const pending = await changedCurated(db, 'linktree', files)
    if (!pending.length) return { status: 'skipped', message: 'curated data unchanged since the last load (or none yet)' }
    let rowsIn = 0
    let newest: string | null = null
    const { changes } = await withBulkWriter(ctx.config.warehouseFile, async (w) => {
      for (const f of pending) {
        const spec = SPECS[f.name]
        const put = w.upsert(spec)
        for await (const r of readCsv(f.path)) {
          rowsIn++
          put([...spec.values(r), r.extracted_at, ctx.runId])
          if (f.name === 'daily' && (!newest || r.date > newest)) newest = r.date
        }
      }
    })
    await markLoaded(db, 'linktree', pending, newest)
    return { status: 'ok', filesIn: pending.length, rowsIn, rowsOut: changes, message: `${changes} of ${rowsIn} Linktree rows inserted or changed` }
  },
})
