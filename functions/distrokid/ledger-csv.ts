/**
 * @module The ledger as CSV, in staging and curated alike: `Line ID` first, then the 13 original
 * DistroKid column names consumers read (amounts as exact 8-decimal text), then the newer layout's
 * columns, the platform and the extraction time of the export that carried the line. Staging and
 * curated share the format, so curating one export is a file copy and several a line copy — never a
 * parse and re-serialise of a million lines.
 */
import { csvField, csvFields } from '../../lib/lake/lines.ts'
import { formatE8, parseE8 } from '../../lib/money.ts'
import type { LedgerLine } from './ledger.ts'

export const LEDGER_STAGING_HEADER = [
  'Line ID', 'Reporting Date', 'Sale Month', 'Store', 'Artist', 'Title', 'ISRC', 'UPC', 'Quantity', 'Team Percentage',
  'Song/Album', 'Country of Sale', 'Songwriter Royalties Withheld', 'Earnings (USD)', 'Date Inserted', 'Recoup (USD)', 'Platform',
  'Extracted At',
] as const
export const LEDGER_CURATED_HEADER = LEDGER_STAGING_HEADER

export function ledgerCsvRow(l: LedgerLine, extractedAt: string): string {
  return (
    `${l.line_id},${l.reporting_date},${l.sale_month},${csvField(l.store)},${csvField(l.artist)},${csvField(l.title)},` +
    `${csvField(l.isrc)},${csvField(l.upc)},${l.quantity},${csvField(l.team_percentage)},${csvField(l.source_type)},` +
    `${csvField(l.country)},${formatE8(l.withheld_e8)},${formatE8(l.earnings_e8)},${csvField(l.date_inserted)},` +
    `${l.recoup_e8 === null ? '' : formatE8(l.recoup_e8)},${l.platform},${extractedAt}\n`
  )
}

/** Line ID of a staging/curated row: the first field, which never needs quoting. */
export function lineIdOf(csvRow: string): string {
  return csvRow.slice(0, csvRow.indexOf(','))
}

/** revenue_lines columns in load order (see load.ts), from a curated row. */
export const LEDGER_LOAD_COLUMNS = [
  'line_id', 'distributor', 'reporting_date', 'sale_month', 'store', 'platform', 'artist', 'title', 'isrc', 'upc', 'quantity',
  'team_percentage', 'source_type', 'country', 'withheld_e8', 'earnings_e8', 'recoup_e8', 'date_inserted', 'extracted_at', 'run_id',
] as const

/**
 * Reads curated rows by column name (the column order may change without breaking loads) straight into
 * the values of one revenue_lines row: no intermediate object per line on a million-line load.
 */
export function curatedLedgerRow(headerLine: string, runId: string): (line: string) => unknown[] {
  const names = csvFields(headerLine)
  const at = (n: (typeof LEDGER_CURATED_HEADER)[number]) => {
    const i = names.indexOf(n)
    if (i < 0) throw new Error(`curated ledger has no column "${n}"`)
    return i
  }
  const [id, rd, sm, st, ar, ti, is, up, qu, tp, sa, co, wi, ea, di, re, pl, ex] = LEDGER_CURATED_HEADER.map(at)
  return (line) => {
    const f = csvFields(line)
    return [
      f[id], 'distrokid', f[rd], f[sm], f[st], f[pl], f[ar], f[ti], f[is], f[up], Number(f[qu]), f[tp], f[sa], f[co],
      parseE8(f[wi]) ?? 0, parseE8(f[ea]) ?? 0, f[re] === '' ? null : parseE8(f[re]), f[di] || null, f[ex], runId,
    ]
  }
}
