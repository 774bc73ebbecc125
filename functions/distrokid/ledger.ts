/**
 * @module The DistroKid bank-details ledger (TSV) → typed ledger lines with a line identity.
 * Columns are matched by name in both layouts (13 columns and the newer 15); records end with a
 * bare CR in real downloads; amounts are exact 8-decimal text, `-0.00000000` included.
 *
 * Line identity: a hash of the line's normalised meaning (fields common to both layouts; numbers as
 * exact integers so `100` and `100.00` agree; titles and stores case- and whitespace-insensitive;
 * ISRC without dashes, UPC without leading zeros) plus its occurrence number among identical lines
 * within one export. Reversals and split payments that share date, month, store, ISRC and country
 * stay distinct; the same line in a later re-export — in either layout, with cosmetic drift — gets the
 * same identity. Which export is authoritative for which lines is decided in clean.ts (snapshots).
 */
import { hash } from 'node:crypto'
import { RefusedFile } from '../../lib/errors.ts'
import { KeyCounter } from '../../lib/lake/key-counter.ts'
import { parseE8 } from '../../lib/money.ts'
import { canonicalArtist, storePlatform } from '../../lib/names.ts'
import type { RevenueLinesTable } from '../../lib/warehouse/schema.ts'

/** Logical field → accepted header names (old layout first). */
const COLUMNS = {
  dateInserted: ['Date Inserted'],
  reportingDate: ['Reporting Date'],
  saleMonth: ['Sale Month'],
  store: ['Store'],
  artist: ['Artist'],
  title: ['Title'],
  isrc: ['ISRC'],
  upc: ['UPC'],
  quantity: ['Quantity'],
  teamPercentage: ['Team Percentage'],
  sourceType: ['Song/Album', 'Source Type'],
  country: ['Country of Sale'],
  withheld: ['Songwriter Royalties Withheld', 'Songwriter Royalties Withheld (USD)'],
  earnings: ['Earnings (USD)'],
  recoup: ['Recoup (USD)'],
} as const
type Field = keyof typeof COLUMNS
const OPTIONAL: readonly Field[] = ['dateInserted', 'recoup']

/** The header line of a ledger export, tab-separated: true for either layout. */
export function isLedgerHeader(line: string): boolean {
  const names = line.replace(/^\uFEFF/, '').split('\t')
  return names.includes('Reporting Date') && names.includes('Earnings (USD)')
}

export type ColumnIndex = Record<Field, number>

/** Maps header names to positions; refuses a header that lacks a required column. */
export function indexHeader(line: string): ColumnIndex {
  const names = line
    .replace(/^\uFEFF/, '')
    .split('\t')
    .map((n) => n.trim())
  const index = {} as ColumnIndex
  const missing: string[] = []
  for (const [field, aliases] of Object.entries(COLUMNS) as [Field, readonly string[]][]) {
    const at = names.findIndex((n) => aliases.includes(n))
    if (at < 0 && !OPTIONAL.includes(field)) missing.push(aliases.join(' or '))
    index[field] = at
  }
  if (missing.length) {
    throw new RefusedFile(
      `unknown ledger header: missing column(s) ${missing.map((m) => `"${m}"`).join(', ')}; got ${names.length} columns starting "${names.slice(0, 3).join(', ')}"`,
    )
  }
  return index
}

/** One ledger line as the warehouse holds it, less the columns the load adds (distributor, lineage). */
export type LedgerLine = Omit<RevenueLinesTable, 'distributor' | 'extracted_at' | 'run_id'>

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/

/** Memoises a string → string mapping: ledgers repeat a handful of artists and stores a million times. */
function memo<T>(fn: (s: string) => T): (s: string) => T {
  const cache = new Map<string, T>()
  return (s) => {
    let v = cache.get(s)
    if (v === undefined && !cache.has(s)) cache.set(s, (v = fn(s)))
    return v as T
  }
}

/** Turns fields into a ledger line, or says why it cannot (the row is then quarantined). */
export class LedgerReader {
  private seen: KeyCounter
  private artist = memo(canonicalArtist)
  private platform = memo(storePlatform)
  private isrc = memo((s: string) => s.replace(/[-\s]/g, '').toUpperCase())
  private upc = memo((s: string) => s.replace(/\D/g, '').replace(/^0+(?=\d)/, ''))
  private fold = memo((s: string) => s.normalize('NFC').replace(/\s+/g, ' ').toLowerCase())
  private country = memo((s: string) => s.toUpperCase())
  // Positions of every field (-1 when the layout lacks it), resolved once per file, not per line.
  private readonly p: ColumnIndex

  /**
   * `notAfter`: the export's extraction date (YYYY-MM-DD); a line reported later is impossible.
   * `expectedLines`: sizes the identity counter once, so a large export never grows it (a growth holds
   * the old table and the new one together).
   */
  constructor(
    ix: ColumnIndex,
    private readonly notAfter = '9999-12-31',
    expectedLines = 1 << 14,
  ) {
    this.p = ix
    this.seen = new KeyCounter(expectedLines)
  }

  /** Counts one more line with this identity base (a line taken as it was staged before); returns its occurrence number. */
  occurrence(id: string): number {
    return this.seen.add(id)
  }

  /** How many lines with this identity base were counted so far. */
  occurrences(id: string): number {
    return this.seen.count(id)
  }

  read(f: string[]): LedgerLine | string {
    const p = this.p
    const get = (i: number) => (i >= 0 ? (f[i] ?? '').trim() : '')
    const reportingDate = get(p.reportingDate)
    const saleMonth = get(p.saleMonth)
    if (!DATE.test(reportingDate)) return `Reporting Date "${reportingDate}" is not YYYY-MM-DD`
    if (!MONTH.test(saleMonth)) return `Sale Month "${saleMonth}" is not YYYY-MM`
    if (reportingDate > this.notAfter) return `Reporting Date ${reportingDate} is after the export was extracted (${this.notAfter})`
    if (saleMonth > reportingDate.slice(0, 7)) return `Sale Month ${saleMonth} is after its Reporting Date ${reportingDate}`
    const quantityText = get(p.quantity)
    const quantityE8 = parseE8(quantityText)
    if (quantityE8 === null || quantityE8 % 1e8 !== 0) return `Quantity "${quantityText}" is not an integer`
    const quantity = quantityE8 / 1e8
    const earningsText = get(p.earnings)
    const earnings = parseE8(earningsText)
    if (earnings === null) return `Earnings (USD) "${earningsText}" is not an exact amount (up to 8 decimals)`
    const withheldText = get(p.withheld)
    const withheld = withheldText === '' ? 0 : parseE8(withheldText)
    if (withheld === null) return `Songwriter Royalties Withheld "${withheldText}" is not an exact amount (up to 8 decimals)`
    const recoupText = get(p.recoup)
    const recoup = recoupText === '' ? null : parseE8(recoupText)
    if (recoupText !== '' && recoup === null) return `Recoup (USD) "${recoupText}" is not an exact amount (up to 8 decimals)`
    const teamText = get(p.teamPercentage)
    const team = teamText === '' ? 0 : parseE8(teamText)
    if (team === null) return `Team Percentage "${teamText}" is not a number`
    const store = get(p.store)
    if (!store) return 'Store is empty'
    const isrc = this.isrc(get(p.isrc))
    const artist = this.artist(get(p.artist))
    const title = get(p.title)
    const upc = get(p.upc)
    const country = this.country(get(p.country))
    // Fields common to both layouts only, so a line keeps its identity when the layout changes.
    const meaning = `${reportingDate}\u001f${saleMonth}\u001f${this.fold(store)}\u001f${artist}\u001f${this.fold(title)}\u001f${isrc}\u001f${this.upc(upc)}\u001f${quantity}\u001f${team}\u001f${country}\u001f${withheld}\u001f${earnings}`
    const id = hash('sha1', meaning, 'base64url').slice(0, 22)
    const occurrence = this.seen.add(id)
    return {
      line_id: occurrence === 1 ? id : `${id}.${occurrence}`,
      reporting_date: reportingDate,
      sale_month: saleMonth,
      store,
      platform: this.platform(store),
      artist,
      title,
      isrc,
      upc,
      quantity,
      team_percentage: teamText,
      source_type: get(p.sourceType),
      country,
      withheld_e8: withheld,
      earnings_e8: earnings,
      recoup_e8: recoup,
      date_inserted: get(p.dateInserted) || null,
    }
  }
}
