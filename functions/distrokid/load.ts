/**
 * DistroKid loader: curated tidy daily streams (DistroKid rows) → streams_daily, curated ledger →
 * revenue_lines, in one transaction. The curated ledger is the whole current truth (exports are
 * snapshots): its lines are upserted by line identity and DistroKid lines it no longer carries
 * (dropped or restated upstream) are deleted. A curated file whose bytes were already loaded is skipped.
 */
import { defineLoader } from '../../lib/define.ts'
import { loadDistributorStreams, tidyPath } from '../../lib/datasets/tidy-daily-streams.ts'
import { KeyCounter } from '../../lib/lake/key-counter.ts'
import { readCsvRows } from '../../lib/lake/lines.ts'
import { withBulkWriter } from '../../lib/warehouse/bulk.ts'
import { changedCurated, markLoaded } from '../../lib/warehouse/loaded.ts'
import { pruneMissing } from '../../lib/warehouse/prune.ts'
import { BANK_FILE } from './clean-ledger.ts'
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
    let deleted = 0
    let newest: string | null = null
    const { changes } = await withBulkWriter(ctx.config.warehouseFile, async (w) => {
      for (const f of pending) {
        if (f.name === 'tidy') {
          const streams = await loadDistributorStreams(w, f.path, 'distrokid', ctx.runId)
          rowsIn += streams.rowsIn
          newest = streams.newest
          continue
        }
        const hadLines = !!w.db.prepare(`SELECT 1 FROM revenue_lines WHERE distributor = 'distrokid' LIMIT 1`).get()
        const put = w.upsert(LEDGER)
        const ids = hadLines ? new KeyCounter(1 << 16) : null
        let row: ((fields: string[]) => unknown[]) | null = null
        for await (const fields of readCsvRows(f.path)) {
          if (!row) row = curatedLedgerRow(fields, ctx.runId)
          else {
            rowsIn++
            put(row(fields))
            ids?.add(fields[0])
          }
        }
        if (ids) deleted = pruneMissing(w, { table: 'revenue_lines', key: 'line_id', where: { distributor: 'distrokid' } }, (id) => ids.count(id) > 0)
      }
    })
    await markLoaded(db, 'distrokid', pending, newest)
    // The tidy file is shared with TooLost: its change alone may hold no DistroKid row at all.
    if (rowsIn === 0 && changes === 0 && deleted === 0)
      return { status: 'skipped', filesIn: pending.length, message: 'no DistroKid rows in the curated data yet' }
    const message = `${changes} rows inserted or changed${deleted ? `, ${deleted} ledger lines no longer in DistroKid's exports removed` : ''}`
    return { status: 'ok', filesIn: pending.length, rowsIn, rowsOut: changes + deleted, message }
  },
})
