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
import { curatedLedgerRow, LEDGER_LOAD_COLUMNS } from './ledger-csv.ts'

const STREAMS = { table: 'streams_daily', key: ['date', 'distributor', 'platform'], measures: ['streams'], lineage: ['extracted_at', 'run_id'] } as const
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
          let row: ((line: string) => unknown[]) | null = null
          for await (const line of readLines(f.path)) {
            if (!row) row = curatedLedgerRow(line, ctx.runId)
            else if (line) {
              rowsIn++
              put(row(line))
            }
          }
        }
      }
    })
    for (const f of pending) await setState(db, 'distrokid', `loaded:${f.name}`, f.hash)
    if (newest) await setState(db, 'distrokid', 'newest_business_date', newest)
    return { status: 'ok', filesIn: pending.length, rowsIn, rowsOut: changes, message: `${changes} rows inserted or changed` }
  },
})
