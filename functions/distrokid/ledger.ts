/**
 * @module The DistroKid bank-details ledger (TSV) → typed ledger lines with a line identity.
 * Columns are matched by name in both layouts (13 columns and the newer 15); records end with a
 * bare CR in real downloads; amounts are exact 8-decimal text, `-0.00000000` included.
 *
 * Line identity: a hash of the line's meaning (normalised fields common to both layouts) plus its
 * occurrence number among identical lines within one export. Reversals and split payments that share
 * date, month, store, ISRC and country stay distinct; the same line in a later re-export — in either
 * layout — gets the same identity and is not added twice.
 */
import { hash } from 'node:crypto'
import { RefusedFile } from '../../lib/errors.ts'
import { KeyCounter } from '../../lib/lake/key-counter.ts'
import { parseE8 } from '../../lib/money.ts'
import { canonicalArtist, storePlatform } from '../../lib/names.ts'

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
  const names = line.replace(/^\uFEFF/, '').split('\t').map((n) => n.trim())
  const index = {} as ColumnIndex
  const missing: string[] = []
  for (const [field, aliases] of Object.entries(COLUMNS) as [Field, readonly string[]][]) {
    const at = names.findIndex((n) => aliases.includes(n))
    if (at < 0 && !OPTIONAL.includes(field)) missing.push(aliases.join(' or '))
    index[field] = at
  }
  if (missing.length) {
    throw new RefusedFile(`unknown ledger header: missing column(s) ${missing.map((m) => `"${m}"`).join(', ')}; got ${names.length} columns starting "${names.slice(0, 3).join(', ')}"`)
  }
  return index
}

export interface LedgerLine {
  line_id: string
  reporting_date: string
  sale_month: string
  store: string
  platform: string
  artist: string
  title: string
  isrc: string
  upc: string
  quantity: number
  team_percentage: string
  source_type: string
  country: string
  withheld_e8: number
  earnings_e8: number
  recoup_e8: number | null
  date_inserted: string | null
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/
const INT = /^-?\d+$/

/** Turns fields into a ledger line, or says why it cannot (the row is then quarantined). */
export class LedgerReader {
  private seen = new KeyCounter(1 << 14)
  constructor(private ix: ColumnIndex) {}

  read(f: string[]): LedgerLine | string {
    const ix = this.ix
    const get = (field: Field) => (ix[field] >= 0 ? (f[ix[field]] ?? '').trim() : '')
    const reportingDate = get('reportingDate')
    const saleMonth = get('saleMonth')
    const quantity = get('quantity')
    if (!DATE.test(reportingDate)) return `Reporting Date "${reportingDate}" is not YYYY-MM-DD`
    if (!MONTH.test(saleMonth)) return `Sale Month "${saleMonth}" is not YYYY-MM`
    if (!INT.test(quantity)) return `Quantity "${quantity}" is not an integer`
    const earnings = parseE8(get('earnings'))
    if (earnings === null) return `Earnings (USD) "${get('earnings')}" is not a decimal`
    const withheldText = get('withheld')
    const withheld = withheldText === '' ? 0 : parseE8(withheldText)
    if (withheld === null) return `Songwriter Royalties Withheld "${withheldText}" is not a decimal`
    const recoupText = get('recoup')
    const recoup = recoupText === '' ? null : parseE8(recoupText)
    if (recoupText !== '' && recoup === null) return `Recoup (USD) "${recoupText}" is not a decimal`
    const store = get('store')
    if (!store) return 'Store is empty'
    const isrc = get('isrc').replace(/-/g, '').toUpperCase()
    const artist = canonicalArtist(get('artist'))
    const title = get('title')
    const upc = get('upc')
    const team = get('teamPercentage')
    const country = get('country').toUpperCase()
    // Fields common to both layouts only, so a line keeps its identity when the layout changes.
    const meaning = [reportingDate, saleMonth, store, artist, title, isrc, upc, quantity, team, country, withheld, earnings].join('\u001f')
    const id = hash('sha1', meaning, 'base64url').slice(0, 22)
    const occurrence = this.seen.add(id)
    return {
      line_id: occurrence === 1 ? id : `${id}.${occurrence}`,
      reporting_date: reportingDate,
      sale_month: saleMonth,
      store,
      platform: storePlatform(store),
      artist,
      title,
      isrc,
      upc,
      quantity: Number(quantity),
      team_percentage: team,
      source_type: get('sourceType'),
      country,
      withheld_e8: withheld,
      earnings_e8: earnings,
      recoup_e8: recoup,
      date_inserted: get('dateInserted') || null,
    }
  }
}

export const LEDGER_CSV_COLUMNS = [
  'line_id', 'reporting_date', 'sale_month', 'store', 'platform', 'artist', 'title', 'isrc', 'upc', 'quantity',
  'team_percentage', 'source_type', 'country', 'withheld_e8', 'earnings_e8', 'recoup_e8', 'date_inserted', 'extracted_at',
] as const
