/**
 * DistroKid loader: curated tidy daily streams (DistroKid rows) → streams_daily, curated ledger →
 * revenue_lines, each upserted on its natural key in one transaction. A curated file whose bytes were
 * already loaded is skipped; loading it again would change nothing anyway.
 */
import { defineLoader } from '../../lib/define.ts'
import { loadDistributorStreams, tidyPath } from '../../lib/datasets/tidy-daily-streams.ts'
import { readLines } from '../../lib/lake/lines.ts'
import { withBulkWriter } from '../../lib/warehouse/bulk.ts'
import { changedCurated, markLoaded } from '../../lib/warehouse/loaded.ts'
import { BANK_FILE } from './clean.ts'
import { curatedLedgerRow, LEDGER_LOAD_COLUMNS } from './ledger-csv.ts'

const LEDGER = {
  table: 'revenue_lines',
  bulkWhenEmpty: true,
  key: LEDGER_LOAD_COLUMNS.slice(0, 1),
  measures: LEDGER_LOAD_COLUMNS.slice(1, -2),
  lineage: LEDGER_LOAD_COLUMNS.slice(-2),
}

export default defineLoader({
  source: 'distrokid',
  description: 'Curated DistroKid streams and ledger → streams_daily and revenue_lines',
  async run(ctx) {
    const { db } = ctx.wh
    const pending = await changedCurated(db, 'distrokid', [
      { name: 'tidy', path: tidyPath(ctx) },
      { name: 'ledger', path: ctx.lake.curatedPath('distrokid', BANK_FILE) },
    ])
    if (!pending.length) return { status: 'skipped', message: 'curated data unchanged since the last load' }

    let rowsIn = 0
    let newest: string | null = null
    const { changes } = await withBulkWriter(ctx.config.warehouseFile, async (w) => {
      for (const f of pending) {
        if (f.name === 'tidy') {
          const streams = await loadDistributorStreams(w, f.path, 'distrokid', ctx.runId)
          rowsIn += streams.rowsIn
          newest = streams.newest
          continue
        }
        const put = w.upsert(LEDGER)
        let row: ((line: string) => unknown[]) | null = null
        for await (const line of readLines(f.path)) {
          if (!row) row = curatedLedgerRow(line, ctx.runId)
          else if (line) {
            rowsIn++
            put(row(line))
          }
        }
      }
    })
    await markLoaded(db, 'distrokid', pending, newest)
    return { status: 'ok', filesIn: pending.length, rowsIn, rowsOut: changes, message: `${changes} rows inserted or changed` }
  },
})
