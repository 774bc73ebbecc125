/**
 * @module Deterministic synthetic DistroKid data for tests, the demo and the bench: daily stream series
 * and bank-details ledgers in either header layout, with the real file's quirks (bare-CR records,
 * 8-decimal amounts, reversal lines sharing date/month/store/ISRC/country, `-0.00000000`).
 */

export const LEDGER_HEADER_13 = [
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
]
export const LEDGER_HEADER_15 = [
  'Date Inserted',
  'Reporting Date',
  'Sale Month',
  'Store',
  'Artist',
  'Title',
  'ISRC',
  'UPC',
  'Quantity',
  'Team Percentage',
  'Source Type',
  'Country of Sale',
  'Songwriter Royalties Withheld (USD)',
  'Earnings (USD)',
  'Recoup (USD)',
]

const STORES = [
  'Spotify',
  'Apple Music',
  'YouTube (Red)',
  'YouTube (Ads)',
  'Tidal',
  'Deezer',
  'iTunes Songs',
  'TikTok',
  'Amazon Unlimited (Streaming)',
  'Pandora',
]
const TRACKS = [
  ['ZONE A0', 'HOLD ON I', 'QZTAW2496365', '198667254765'],
  ['ZONE A0', 'HOLD ON II', 'QZTAW2496366', '198667254765'],
  ['PIG1987', 'PERVERSION', 'QZTBF2439187', '198667254772'],
  ['PIG1987', 'KEYGEN', 'QZWFK2497196', '198667254789'],
  ['ZONE A0', 'THE FEW THAT REMAINED', 'QZZ7N2490366', '198667254796'],
]
const COUNTRIES = ['US', 'GB', 'DE', 'CA', 'JP', 'BR', 'MX', 'FR', 'AU', 'OU', 'XK']

export function rng(seed: number) {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296
}

export interface LedgerLineFields {
  reportingDate: string
  saleMonth: string
  store: string
  artist: string
  title: string
  isrc: string
  upc: string
  quantity: number
  country: string
  /** Integer units of 1e-8 USD. */
  earningsE8: number
}

function e8Text(units: number): string {
  const neg = units < 0
  const abs = Math.abs(units)
  return `${neg ? '-' : ''}${Math.floor(abs / 1e8)}.${String(abs % 1e8).padStart(8, '0')}`
}

export interface LedgerOptions {
  /** Sale months are the 12 months ending with this one (YYYY-MM); default 2025-12. */
  lastMonth?: string
  /** Largest earnings of one line, in 1e-8 USD (default $20). */
  maxEarningsE8?: number
}

/** Ledger lines: every 50th line is followed by a reversal sharing its date/month/store/ISRC/country. */
export function* ledgerLines(count: number, seed = 7, opts: LedgerOptions = {}): Generator<LedgerLineFields> {
  const r = rng(seed)
  const [lastY, lastM] = (opts.lastMonth ?? '2025-12').split('-').map(Number)
  const monthOf = (back: number) => {
    const t = new Date(Date.UTC(lastY, lastM - 1 - back, 1))
    return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1 }
  }
  const ym = (d: { y: number; m: number }) => `${d.y}-${String(d.m).padStart(2, '0')}`
  let emitted = 0
  while (emitted < count) {
    const back = Math.floor(r() * 12)
    const sale = monthOf(back)
    const reported = monthOf(Math.max(0, back - 1))
    const [artist, title, isrc, upc] = TRACKS[Math.floor(r() * TRACKS.length)]
    const line: LedgerLineFields = {
      reportingDate: `${ym(reported)}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
      saleMonth: ym(sale),
      store: STORES[Math.floor(r() * STORES.length)],
      artist,
      title,
      isrc,
      upc,
      quantity: 1 + Math.floor(r() * 400),
      country: COUNTRIES[Math.floor(r() * COUNTRIES.length)],
      earningsE8: Math.floor(r() * (opts.maxEarningsE8 ?? 2e9)),
    }
    yield line
    emitted++
    if (emitted % 50 === 0 && emitted < count) {
      yield { ...line, quantity: line.quantity, earningsE8: -Math.floor(line.earningsE8 / 3) }
      emitted++
    }
  }
}

export function ledgerRecord(l: LedgerLineFields, layout: 13 | 15): string {
  const money = e8Text(l.earningsE8)
  return layout === 13
    ? [l.reportingDate, l.saleMonth, l.store, l.artist, l.title, l.isrc, l.upc, l.quantity, '100', 'Song', l.country, '0', money].join('\t')
    : [
        `${l.reportingDate} 10:00:00`,
        l.reportingDate,
        l.saleMonth,
        l.store,
        l.artist,
        l.title,
        l.isrc,
        l.upc,
        l.quantity,
        '100',
        'Song',
        l.country,
        '0.00000000',
        money,
        '0.00000000',
      ].join('\t')
}

/** A whole ledger TSV as DistroKid serves it: records end with a bare CR. */
export function ledgerTsv(lines: LedgerLineFields[], layout: 13 | 15 = 13): string {
  const header = (layout === 13 ? LEDGER_HEADER_13 : LEDGER_HEADER_15).join('\t')
  return [header, ...lines.map((l) => ledgerRecord(l, layout))].join('\r') + '\r'
}

/** Σ earnings of lines as exact 8-decimal text. */
export function sumE8(lines: LedgerLineFields[]): string {
  return e8Text(lines.reduce((s, l) => s + l.earningsE8, 0))
}

export function dailySeries(from: string, to: string, seed: number, scale = 3000) {
  const r = rng(seed)
  const out: { date: string; streams: number }[] = []
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push({ date: new Date(t).toISOString().slice(0, 10), streams: Math.floor(scale * (0.5 + r())) })
  }
  return out
}
