/**
 * @module The ledger as CSV, in staging and curated alike: `Line ID` first, then the 13 original
 * DistroKid column names consumers read (amounts as exact 8-decimal text), then the newer layout's
 * columns, the platform and the extraction time of the export that carried the line. Staging and
 * curated share the format, so curating one export is a file copy. CSV is written and read by
 * papaparse (lib/lake/lines.ts): a title with quotes, commas or a newline round-trips.
 */
import { csvLine } from '../../lib/lake/lines.ts'
import { formatE8, parseE8 } from '../../lib/money.ts'
import type { LedgerLine } from './ledger.ts'

export const LEDGER_STAGING_HEADER = [
  'Line ID',
  'Reporting Date',
  'Sale Month',
  'Store',
  'Artist',
  'Title',
  'ISRC',
  'UPC',
  'Quantity',
  'Team Percentage',
  'Song/Album',
  'Country of Sale',
  'Songwriter Royalties Withheld',
  'Earnings (USD)',
  'Date Inserted',
  'Recoup (USD)',
  'Platform',
  'Extracted At',
] as const
export const LEDGER_CURATED_HEADER = LEDGER_STAGING_HEADER
/** Position of the Reporting Date in staging/curated rows (what snapshots are decided on). */
export const REPORTING_DATE_AT = LEDGER_STAGING_HEADER.indexOf('Reporting Date')

export function ledgerCsvRow(l: LedgerLine, extractedAt: string): string {
  return csvLine([
    l.line_id,
    l.reporting_date,
    l.sale_month,
    l.store,
    l.artist,
    l.title,
    l.isrc,
    l.upc,
    l.quantity,
    l.team_percentage,
    l.source_type,
    l.country,
    formatE8(l.withheld_e8),
    formatE8(l.earnings_e8),
    l.date_inserted,
    l.recoup_e8 === null ? '' : formatE8(l.recoup_e8),
    l.platform,
    extractedAt,
  ])
}

/** revenue_lines columns in load order (see load.ts), from a curated row. */
export const LEDGER_LOAD_COLUMNS = [
  'line_id',
  'distributor',
  'reporting_date',
  'sale_month',
  'store',
  'platform',
  'artist',
  'title',
  'isrc',
  'upc',
  'quantity',
  'team_percentage',
  'source_type',
  'country',
  'withheld_e8',
  'earnings_e8',
  'recoup_e8',
  'date_inserted',
  'extracted_at',
  'run_id',
] as const

/**
 * Reads curated rows by column name (the column order may change without breaking loads) straight into
 * the values of one revenue_lines row: no intermediate object per line on a million-line load. A value
 * that is not an exact amount or integer throws (the load rolls back): nothing unparseable becomes 0.
 */
export function curatedLedgerRow(names: string[], runId: string): (f: string[]) => unknown[] {
  const at = (n: (typeof LEDGER_CURATED_HEADER)[number]) => {
    const i = names.indexOf(n)
    if (i < 0) throw new Error(`curated ledger has no column "${n}"`)
    return i
  }
  const [id, rd, sm, st, ar, ti, is, up, qu, tp, sa, co, wi, ea, di, re, pl, ex] = LEDGER_CURATED_HEADER.map(at)
  const amount = (f: string[], i: number) => {
    const v = parseE8(f[i] ?? '')
    if (v === null) throw new Error(`curated ledger line ${f[id]}: ${names[i]} "${f[i]}" is not an exact amount`)
    return v
  }
  return (f) => {
    if (f.length !== names.length) throw new Error(`curated ledger line ${f[0]} has ${f.length} fields, the header ${names.length}`)
    const quantity = Number(f[qu])
    if (!Number.isSafeInteger(quantity) || f[qu] === '') throw new Error(`curated ledger line ${f[id]}: Quantity "${f[qu]}" is not an integer`)
    return [
      f[id],
      'distrokid',
      f[rd],
      f[sm],
      f[st],
      f[pl],
      f[ar],
      f[ti],
      f[is],
      f[up],
      quantity,
      f[tp],
      f[sa],
      f[co],
      amount(f, wi),
      amount(f, ea),
      f[re] === '' ? null : amount(f, re),
      f[di] || null,
      f[ex],
      runId,
    ]
  }
}
