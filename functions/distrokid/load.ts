/**
 * DistroKid loader: curated tidy daily streams (DistroKid rows) → streams_daily, curated ledger →
 * revenue_lines, in one transaction. The curated ledger is the whole current truth (exports are
 * snapshots): its lines are upserted by line identity and DistroKid lines it no longer carries
 * (dropped or restated upstream) are deleted. A curated file whose bytes were already loaded is skipped.
 * When the cleaner left a delta from the file the warehouse last loaded to the current one
 * (ledger-delta.ts), only that is applied (same result: see there); any doubt loads the whole file.
 */
import { defineLoader } from '../../lib/define.ts'
import { loadDistributorStreams, tidyPath } from '../../lib/datasets/tidy-daily-streams.ts'
import { KeyCounter } from '../../lib/lake/key-counter.ts'
import { readCsvRows } from '../../lib/lake/lines.ts'
import { type BulkWriter, withBulkWriter } from '../../lib/warehouse/bulk.ts'
import { changedCurated, markLoaded } from '../../lib/warehouse/loaded.ts'
import { pruneMissing } from '../../lib/warehouse/prune.ts'
import { replacing } from '../../lib/warehouse/replace.ts'
import { getState } from '../../lib/warehouse/state.ts'
import { type LedgerDeltaMeta, ledgerShortcuts, readLedgerDelta } from './ledger-delta.ts'
import { BANK_FILE } from './clean-ledger.ts'
import { curatedLedgerRow, LEDGER_LOAD_COLUMNS } from './ledger-csv.ts'

const LEDGER = {
  table: 'revenue_lines',
  bulkWhenEmpty: true,
  key: LEDGER_LOAD_COLUMNS.slice(0, 1),
  measures: LEDGER_LOAD_COLUMNS.slice(1, -2),
  lineage: LEDGER_LOAD_COLUMNS.slice(-2),
}

/**
 * Applies a ledger delta inside the load's transaction: the warehouse must hold exactly the delta's
 * starting number of DistroKid lines, and holds its final number after; otherwise nothing of it is
 * kept (returns why) and the whole curated ledger is loaded instead.
 */
async function applyDelta(w: BulkWriter, delta: { meta: LedgerDeltaMeta; rows: string }, runId: string): Promise<{ rowsIn: number; deleted: number } | string> {
  // The whole table's count comes from its narrowest index; DistroKid's alone takes a scan, needed only
  // when other distributors' lines are there too.
  const total = () => (w.db.prepare('SELECT count(*) AS n FROM revenue_lines').get() as { n: number }).n
  const all = total()
  const before =
    all === delta.meta.baseLines ? all : (w.db.prepare(`SELECT count(*) AS n FROM revenue_lines WHERE distributor = 'distrokid'`).get() as { n: number }).n
  if (before !== delta.meta.baseLines) return `the warehouse holds ${before} DistroKid lines, the delta starts from ${delta.meta.baseLines}`
  const changes = w.changes
  w.db.exec('SAVEPOINT ledger_delta')
  try {
    const del = w.db.prepare(`DELETE FROM revenue_lines WHERE distributor = 'distrokid' AND line_id = ?`)
    let deleted = 0
    for (const id of delta.meta.deletes) deleted += del.run(id).changes
    const put = w.upsert(LEDGER)
    let row: ((fields: string[]) => unknown[]) | null = null
    let upserts = 0
    for await (const fields of readCsvRows(delta.rows)) {
      if (!row) row = curatedLedgerRow(fields, runId)
      else {
        upserts++
        put(row(fields))
      }
    }
    const after = before + total() - all
    if (deleted !== delta.meta.deletes.length || upserts !== delta.meta.upserts || after !== delta.meta.lines)
      throw new Error(`the delta left ${after} DistroKid lines (${deleted} deleted, ${upserts} written), not ${delta.meta.lines}`)
    w.db.exec('RELEASE ledger_delta')
    return { rowsIn: delta.meta.lines, deleted }
  } catch (err) {
    w.db.exec('ROLLBACK TO ledger_delta')
    w.db.exec('RELEASE ledger_delta')
    w.changes = changes
    return (err as Error).message
  }
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
    // A new export usually restates a sliver of the ledger: the delta the cleaner wrote (ledger-delta.ts)
    // is applied instead of the whole file when it starts from what the warehouse last loaded.
    const ledgerFile = pending.find((f) => f.name === 'ledger')
    let delta: Awaited<ReturnType<typeof readLedgerDelta>> | null = null
    if (ledgerFile) {
      delta = !ledgerShortcuts.enabled
        ? 'shortcuts are off'
        : replacing()
          ? 'the source is being rebuilt'
          : await readLedgerDelta(ledgerFile.path, await getState(db, 'distrokid', 'loaded:ledger'), ledgerFile.hash)
      if (typeof delta === 'string') {
        ctx.log.info({ reason: delta }, 'loading the whole curated ledger')
        delta = null
      }
    }
    let newest: string | null = null
    let fromDelta = false
    const { changes } = await withBulkWriter(ctx.config.warehouseFile, async (w) => {
      for (const f of pending) {
        if (f.name === 'tidy') {
          const streams = await loadDistributorStreams(w, f.path, 'distrokid', ctx.runId)
          rowsIn += streams.rowsIn
          newest = streams.newest
          continue
        }
        if (delta) {
          const applied = await applyDelta(w, delta, ctx.runId)
          if (typeof applied === 'string') ctx.log.info({ reason: applied }, 'ledger delta not applied; loading the whole curated ledger')
          else {
            rowsIn += applied.rowsIn
            deleted = applied.deleted
            fromDelta = true
            ledgerShortcuts.deltasApplied++
            continue
          }
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
    const message = `${changes} rows inserted or changed${deleted ? `, ${deleted} ledger lines no longer in DistroKid's exports removed` : ''}${fromDelta ? ' (the ledger applied as a delta of its last load)' : ''}`
    return { status: 'ok', filesIn: pending.length, rowsIn, rowsOut: changes + deleted, message }
  },
})
