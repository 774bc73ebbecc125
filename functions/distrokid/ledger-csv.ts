/**
 * @module The curated ledger CSV: the 13 original DistroKid column names that consumers read (amounts as
 * exact 8-decimal text), then the newer layout's columns and our own (platform, line id, extraction).
 */
import { csvLine } from '../../lib/lake/lines.ts'
import { formatE8, parseE8 } from '../../lib/money.ts'
import type { LedgerLine } from './ledger.ts'

export const LEDGER_CSV_HEADER = [
  'Reporting Date', 'Sale Month', 'Store', 'Artist', 'Title', 'ISRC', 'UPC', 'Quantity', 'Team Percentage',
  'Song/Album', 'Country of Sale', 'Songwriter Royalties Withheld', 'Earnings (USD)',
  'Date Inserted', 'Recoup (USD)', 'Platform', 'Line ID', 'Extracted At',
] as const

export function ledgerCsvRow(l: LedgerLine, extractedAt: string): string {
  return csvLine([
    l.reporting_date, l.sale_month, l.store, l.artist, l.title, l.isrc, l.upc, l.quantity, l.team_percentage,
    l.source_type, l.country, formatE8(l.withheld_e8), formatE8(l.earnings_e8),
    l.date_inserted, l.recoup_e8 === null ? null : formatE8(l.recoup_e8), l.platform, l.line_id, extractedAt,
  ])
}

/** Back from a curated CSV row (as read by readCsv) to a ledger line for loading. */
export function ledgerFromCsv(r: Record<string, string>): LedgerLine & { extracted_at: string } {
  return {
    line_id: r['Line ID'],
    reporting_date: r['Reporting Date'],
    sale_month: r['Sale Month'],
    store: r.Store,
    platform: r.Platform,
    artist: r.Artist,
    title: r.Title,
    isrc: r.ISRC,
    upc: r.UPC,
    quantity: Number(r.Quantity),
    team_percentage: r['Team Percentage'],
    source_type: r['Song/Album'],
    country: r['Country of Sale'],
    withheld_e8: parseE8(r['Songwriter Royalties Withheld']) ?? 0,
    earnings_e8: parseE8(r['Earnings (USD)']) ?? 0,
    recoup_e8: r['Recoup (USD)'] === '' ? null : parseE8(r['Recoup (USD)']),
    date_inserted: r['Date Inserted'] || null,
    extracted_at: r['Extracted At'],
  }
}
