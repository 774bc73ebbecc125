/**
 * DistroKid loader: curated tidy daily streams (DistroKid rows) → streams_daily, curated ledger →
 * revenue_lines, each upserted on its natural key in one transaction. A curated file whose bytes were
 * already loaded is skipped; loading it again would change nothing anyway.
 */
import { defineLoader } from '../../lib/define.ts'
import { readTidy, tidyPath } from '../../lib/datasets/tidy-daily-streams.ts'
import { exists } from '../../lib/lake/lake.ts'
import { sha256File } from '../../lib/lake/hash.ts'
import { readLines } from '../../lib/lake/lines.ts'
import { withBulkWriter } from '../../lib/warehouse/bulk.ts'
import { getState, setState } from '../../lib/warehouse/state.ts'
import { BANK_FILE } from './clean.ts'
import { curatedLedgerReader, type LoadedLine } from './ledger-csv.ts'

const STREAMS = { table: 'streams_daily', key: ['date', 'distributor', 'platform'], measures: ['streams'], lineage: ['extracted_at', 'run_id'] } as const
const LEDGER = {
  table: 'revenue_lines',
  bulkWhenEmpty: true,
  key: ['line_id'],
  measures: [
    'distributor', 'reporting_date', 'sale_month', 'store', 'platform', 'artist', 'title', 'isrc', 'upc', 'quantity',
    'team_percentage', 'source_type', 'country', 'withheld_e8', 'earnings_e8', 'recoup_e8', 'date_inserted',
  ],
  lineage: ['extracted_at', 'run_id'],
} as const

export default defineLoader({
  source: 'distrokid',
  description: 'Curated DistroKid streams and ledger → streams_daily and revenue_lines',
  async run(ctx) {
    const { db } = ctx.wh
    const files = [
      { name: 'tidy', path: tidyPath(ctx) },
      { name: 'ledger', path: ctx.lake.curatedPath('distrokid', BANK_FILE) },
    ]
    const pending: { name: string; path: string; hash: string }[] = []
    for (const f of files) {
      if (!(await exists(f.path))) continue
      const hash = await sha256File(f.path)
      if ((await getState(db, 'distrokid', `loaded:${f.name}`)) !== hash) pending.push({ ...f, hash })
    }
    if (!pending.length) return { status: 'skipped', message: 'curated data unchanged since the last load' }

    let rowsIn = 0
    let newest: string | null = null
    const { changes } = await withBulkWriter(ctx.config.warehouseFile, async (w) => {
      for (const f of pending) {
        if (f.name === 'tidy') {
          const put = w.upsert(STREAMS)
          for (const r of await readTidy(f.path)) {
            if (r.distributor !== 'distrokid') continue
            for (const [platform, streams] of [['spotify', r.spotify], ['apple', r.apple]] as const) {
              if (streams === null) continue
              rowsIn++
              put([r.date, 'distrokid', platform, streams, r.extractedAt, ctx.runId])
            }
            if (!newest || r.date > newest) newest = r.date
          }
        } else {
          const put = w.upsert(LEDGER)
          let read: ((line: string) => LoadedLine) | null = null
          for await (const line of readLines(f.path)) {
            if (!read) {
              read = curatedLedgerReader(line)
              continue
            }
            if (!line) continue
            const l = read(line)
            rowsIn++
            put([
              l.line_id, 'distrokid', l.reporting_date, l.sale_month, l.store, l.platform, l.artist, l.title, l.isrc, l.upc,
              l.quantity, l.team_percentage, l.source_type, l.country, l.withheld_e8, l.earnings_e8, l.recoup_e8,
              l.date_inserted, l.extracted_at, ctx.runId,
            ])
          }
        }
      }
    })
    for (const f of pending) await setState(db, 'distrokid', `loaded:${f.name}`, f.hash)
    if (newest) await setState(db, 'distrokid', 'newest_business_date', newest)
    return { status: 'ok', filesIn: pending.length, rowsIn, rowsOut: changes, message: `${changes} rows inserted or changed` }
  },
})
