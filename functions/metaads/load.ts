/**
 * Meta loader: curated campaigns → ad_campaigns (with the artist, track and targeting the
 * campaign-name rule gives, lib/kpi/campaigns.ts), daily insights → ad_insights_daily (date ×
 * campaign × ad set), lifetime snapshots → ad_snapshots (snapshot time × level × object), upserted on
 * their natural keys in one transaction. Curated is the whole truth for these tables: a campaign-day
 * a restatement removed from curated is removed here too, in the same transaction.
 */
import type Database from 'better-sqlite3'
import { defineLoader } from '../../lib/define.ts'
import { parseCampaignName } from '../../lib/kpi/campaigns.ts'
import { readCsv } from '../../lib/lake/lines.ts'
import { withBulkWriter } from '../../lib/warehouse/bulk.ts'
import { changedCurated, markLoaded } from '../../lib/warehouse/loaded.ts'
import { CURATED } from './curate.ts'

const LINEAGE = ['extracted_at', 'run_id'] as const
const CAMPAIGNS = {
  table: 'ad_campaigns',
  key: ['campaign_id'],
  measures: ['name', 'status', 'objective', 'artist', 'track', 'targeting'],
  lineage: LINEAGE,
} as const
const DAILY = {
  table: 'ad_insights_daily',
  key: ['date', 'campaign_id', 'adset_id'],
  measures: ['spend_cents', 'impressions', 'clicks', 'reach'],
  lineage: LINEAGE,
} as const
const SNAPSHOTS = {
  table: 'ad_snapshots',
  key: ['snapshot_at', 'level', 'object_id'],
  measures: ['campaign_id', 'name', 'status', 'date_start', 'date_stop', 'spend_cents', 'impressions', 'clicks', 'reach'],
  lineage: LINEAGE,
} as const

/** An empty curated cell is "not reported": NULL, never 0. */
const int = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s))
const text = (s: string | undefined) => (s === undefined || s === '' ? null : s)

/** Deletes rows whose key the curated file no longer has. */
function dropMissing(db: Database.Database, table: string, key: readonly string[], keep: Set<string>): number {
  const rows = db
    .prepare(`SELECT ${key.join(', ')} FROM ${table}`)
    .raw()
    .all() as unknown[][]
  const del = db.prepare(`DELETE FROM ${table} WHERE ${key.map((k) => `${k} = ?`).join(' AND ')}`)
  let n = 0
  for (const r of rows) if (!keep.has(r.join('|'))) n += del.run(...r).changes
  return n
}

export default defineLoader({
  source: 'metaads',
  description: 'Curated Meta campaigns, daily insights and lifetime snapshots → ad_campaigns, ad_insights_daily, ad_snapshots',
  async run(ctx) {
    const { db } = ctx.wh
    const files = (['campaigns', 'daily', 'snapshots'] as const).map((name) => ({ name, path: ctx.lake.curatedPath('metaads', CURATED[name]) }))
    const pending = await changedCurated(db, 'metaads', files)
    if (!pending.length) return { status: 'skipped', message: 'curated data unchanged since the last load (or none yet)' }
    let rowsIn = 0
    let removed = 0
    let newest: string | null = null
    const seeDate = (d: string | undefined) => {
      if (d && (!newest || d > newest)) newest = d
    }
    const { changes } = await withBulkWriter(ctx.config.warehouseFile, async (w) => {
      for (const f of pending) {
        const keep = new Set<string>()
        if (f.name === 'campaigns') {
          const put = w.upsert(CAMPAIGNS)
          for await (const r of readCsv(f.path)) {
            rowsIn++
            const p = parseCampaignName(r.name)
            put([r.campaign_id, r.name, text(r.status), text(r.objective), p.artist, p.track, p.targeting, r.extracted_at, ctx.runId])
          }
        } else if (f.name === 'daily') {
          const put = w.upsert(DAILY)
          for await (const r of readCsv(f.path)) {
            rowsIn++
            keep.add(`${r.date}|${r.campaign_id}|${r.adset_id}`)
            put([r.date, r.campaign_id, r.adset_id, int(r.spend_cents), int(r.impressions), int(r.clicks), int(r.reach), r.extracted_at, ctx.runId])
            seeDate(r.date)
          }
          removed += dropMissing(w.db, DAILY.table, DAILY.key, keep)
        } else {
          const put = w.upsert(SNAPSHOTS)
          for await (const r of readCsv(f.path)) {
            rowsIn++
            keep.add(`${r.snapshot_at}|${r.level}|${r.object_id}`)
            put([
              r.snapshot_at,
              r.level,
              r.object_id,
              r.campaign_id,
              text(r.name),
              text(r.status),
              text(r.date_start),
              text(r.date_stop),
              int(r.spend_cents),
              int(r.impressions),
              int(r.clicks),
              int(r.reach),
              r.snapshot_at,
              ctx.runId,
            ])
            seeDate(r.date_stop)
          }
          removed += dropMissing(w.db, SNAPSHOTS.table, SNAPSHOTS.key, keep)
        }
      }
    })
    await markLoaded(db, 'metaads', pending, newest)
    const gone = removed ? `; ${removed} rows a restatement removed` : ''
    return { status: 'ok', filesIn: pending.length, rowsIn, rowsOut: changes, message: `${changes} of ${rowsIn} Meta rows inserted or changed${gone}` }
  },
})
