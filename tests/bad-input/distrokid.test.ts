/**
 * Bad input for the DistroKid ledger and stats pages, one table row per case: a precise message or
 * quarantined rows, the landing file kept (where it landed), nothing half-written downstream.
 * Other sources add their own tables in sibling files with the same harness.
 */
import { describe, expect, it } from 'vitest'
import { parseE8 } from '../../lib/money.ts'
import { applePage, signinPage, streamsPage } from '../../functions/distrokid/fake-pages.ts'
import { dailySeries, LEDGER_HEADER_13, ledgerLines, ledgerTsv } from '../../functions/distrokid/fake-data.ts'
import { importBad, type BadInputOutcome } from './import-harness.ts'

const FACTS = ['revenue_lines', 'streams_daily']
const lines = [...ledgerLines(20, 9, { lastMonth: '2025-03' })]
const good = ledgerTsv(lines)
const goodE8 = lines.reduce((s, l) => s + l.earningsE8, 0)
const STAMPED = 'dk_bank_details_20250601_120000.tsv'
const records = good.split('\r').slice(0, -1) // header + 20 records, without the final empty piece
const withRecord = (i: number, edit: (fields: string[]) => string[]) => records.map((r, k) => (k === i ? edit(r.split('\t')).join('\t') : r)).join('\r') + '\r'
const EARNINGS = LEDGER_HEADER_13.indexOf('Earnings (USD)')
const QUANTITY = LEDGER_HEADER_13.indexOf('Quantity')
const REPORTING = LEDGER_HEADER_13.indexOf('Reporting Date')
const days = dailySeries('2025-03-01', '2025-05-20', 4)

/** Edits the page from its daily chart (`trend365day`) on: the other charts come first. */
const inDailyChart = (page: string, edit: (tail: string) => string) => {
  const at = page.indexOf('trend365day')
  return page.slice(0, at) + edit(page.slice(at))
}

type Expect = (o: BadInputOutcome) => void
/** Refused by the cleaner: kept in landing, nothing downstream of it, no facts. */
const refused =
  (reason: RegExp): Expect =>
  (o) => {
    expect(o.importError).toBeNull()
    expect(o.status).toBe('failed')
    expect(o.message).toMatch(reason)
    expect(o.message).toContain('(kept in landing)')
    expect(o.landing).toHaveLength(1)
    expect(o.downstream).toEqual([])
    expect(Object.values(o.facts)).toEqual([0, 0])
    expect(o.quarantine[0]).toMatch(/^file refused: /)
  }
/** Refused at import: nothing landed at all. */
const notImported =
  (reason: RegExp): Expect =>
  (o) => {
    expect(o.importError).toMatch(reason)
    expect(o.landing).toEqual([])
    expect(o.downstream).toEqual([])
    expect(Object.values(o.facts)).toEqual([0, 0])
  }
/** Loaded: `n` ledger lines (Σ earnings `e8` when given), the listed rows quarantined with their reasons. */
const loaded =
  (n: number, quarantined: (string | RegExp)[] = [], e8?: number): Expect =>
  (o) => {
    expect(o.importError).toBeNull()
    expect(o.status, o.message).toBe('ok')
    expect(o.landing).toHaveLength(1)
    expect(o.facts.revenue_lines).toBe(n)
    expect(o.quarantine).toHaveLength(quarantined.length)
    quarantined.forEach((q, i) => expect(o.quarantine[i]).toMatch(q))
    if (e8 !== undefined) expect(o.sum).toBe(e8)
  }

const amounts = ['1.2E-5', '+1', '.5', '-0.00000000', '5.', '1.5e2']
const amountCases = withRecordsAll((f, i) => {
  if (i < amounts.length) f[EARNINGS] = amounts[i]
  return f
})
function withRecordsAll(edit: (fields: string[], i: number) => string[]) {
  return [records[0], ...records.slice(1).map((r, i) => edit(r.split('\t'), i).join('\t'))].join('\r') + '\r'
}
const amountsE8 = amountCases
  .split('\r')
  .slice(1, -1)
  .reduce((s, r) => s + parseE8(r.split('\t')[EARNINGS])!, 0)

const CASES: [string, string, string | Uint8Array, Expect, { now?: Date; extractedAt?: Date }?][] = [
  ['ledger cut inside its last amount', STAMPED, good.slice(0, -4), refused(/truncated: the file ends with "\d", not with the final record terminator \(CR\)/)],
  [
    'ledger cut at a record boundary, without the final CR',
    STAMPED,
    good.slice(0, -1),
    refused(/truncated: the file ends with "\d", not with the final record terminator \(CR\)/),
  ],
  [
    'ledger cut inside a field mid-record',
    STAMPED,
    good.slice(0, good.lastIndexOf('\t', good.length - 30)),
    refused(/truncated: .*final record terminator \(CR\)/),
  ],
  ['ledger of only a header without its terminator', STAMPED, LEDGER_HEADER_13.join('\t'), refused(/truncated: the file has no complete record/)],
  ['an HTML sign-in page saved as the ledger', STAMPED, signinPage(), refused(/this is DistroKid's sign-in page/)],
  ['a ledger missing a required column', STAMPED, good.replace('\tStore\t', '\tShop\t'), refused(/unknown ledger header: missing column\(s\) "Store"/)],
  [
    'a ledger with extra, unknown columns',
    STAMPED,
    good
      .split('\r')
      .map((r, i) => (r ? `${r}\t${i ? 'note' : 'Notes'}` : r))
      .join('\r'),
    loaded(20, [], goodE8),
  ],
  ['a record with an extra field', STAMPED, withRecord(4, (f) => [...f, 'x']), loaded(19, [/^record has 14 fields, the header has 13$/])],
  ['a record with a missing field', STAMPED, withRecord(6, (f) => f.slice(0, -1)), loaded(19, [/^record has 12 fields, the header has 13$/])],
  ['a UTF-8 BOM before the header', STAMPED, `\uFEFF${good}`, loaded(20, [], goodE8)],
  ['CR-only records (as DistroKid serves them)', STAMPED, good, loaded(20, [], goodE8)],
  ['CRLF records', STAMPED, good.replace(/\r/g, '\r\n'), loaded(20, [], goodE8)],
  ['LF records', STAMPED, good.replace(/\r/g, '\n'), loaded(20, [], goodE8)],
  ['CRLF records cut without the final CRLF', STAMPED, good.replace(/\r/g, '\r\n').slice(0, -2), refused(/final record terminator \(CRLF\)/)],
  ['an empty ledger', STAMPED, '', notImported(/the file is empty/)],
  ['binary content', STAMPED, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x08, 0]), notImported(/binary content \(NUL bytes\)/)],
  ['a name stamped in the future', 'dk_bank_details_20990101_000000.tsv', good, notImported(/extraction time 2099-01-01T00:00:00.000Z is in the future/)],
  [
    'a row reported after the export was extracted',
    STAMPED,
    withRecord(2, (f) => ((f[REPORTING] = '2025-07-01'), f)),
    loaded(19, [/^Reporting Date 2025-07-01 is after the export was extracted \(2025-06-01\)$/]),
  ],
  [
    'non-numeric amounts and quantities',
    STAMPED,
    withRecord(3, (f) => ((f[EARNINGS] = 'abc'), f)).replace(
      records[5],
      records[5]
        .split('\t')
        .map((v, i) => (i === QUANTITY ? 'lots' : i === EARNINGS ? '1,234.5' : v))
        .join('\t'),
    ),
    loaded(18, [/^Earnings \(USD\) "abc" is not an exact amount/, /^Quantity "lots" is not an integer$/]),
  ],
  [
    'an amount with more than 8 decimals',
    STAMPED,
    withRecord(1, (f) => ((f[EARNINGS] = '0.123456789'), f)),
    loaded(19, [/^Earnings \(USD\) "0.123456789" is not an exact amount \(up to 8 decimals\)$/]),
  ],
  ['amounts in every form a CSV may carry', STAMPED, amountCases, loaded(20, [], amountsE8)],
  [
    'a stats page cut inside its chart data',
    'streams_stats_20250601_120000.html',
    streamsPage(days).slice(0, streamsPage(days).indexOf('trend365day') + 4000),
    refused(/trend365day (dataProvider is not valid JSON \(truncated page\?\)|chart has no dataProvider)/),
  ],
  [
    'the Apple page cut inside chartData',
    'applemusic_stats_20250601_120000.html',
    applePage(days).slice(0, applePage(days).indexOf('var chartData') + 300),
    refused(/chartData is not a complete object|no DistroKid chart data/),
  ],
  ['a sign-in page saved as a stats page', 'applemusic_stats_20250601_120000.html', signinPage(), refused(/this is DistroKid's sign-in page/)],
  [
    'a stats page with a non-numeric count',
    'streams_stats_20250601_120000.html',
    inDailyChart(streamsPage(days), (t) => t.replace(/"column-1":\s*\d+/, '"column-1": "many"')),
    refused(/trend365day point \d+\.column-1: /),
  ],
  [
    'a stats page showing days after its extraction',
    'streams_stats_20250501_000000.html',
    streamsPage(days),
    (o) => {
      expect(o.status).toBe('ok')
      expect(o.facts.streams_daily).toBe(days.filter((d) => d.date <= '2025-05-01').length)
      expect(o.quarantine).toHaveLength(days.filter((d) => d.date > '2025-05-01').length)
      expect(o.quarantine[0]).toBe('spotify day 2025-05-02 is after the page was extracted (2025-05-01)')
    },
  ],
  ['an untimed sign-in page (no time in name or content)', 'applemusic_stats.html', signinPage(), notImported(/this is DistroKid's sign-in page/)],
]

describe('bad DistroKid input (table)', () => {
  it.each(CASES)('%s', async (_case, name, content, check, opts) => {
    const outcome = await importBad('distrokid', name, content, FACTS, { now: new Date('2025-06-01T12:00:00Z'), sum: 'revenue_lines.earnings_e8', ...opts })
    check(outcome)
  })

  it('a ledger ten times the usual size (the real one has 4,535 lines) loads whole', async () => {
    const big = [...ledgerLines(45_350, 10, { lastMonth: '2025-03' })]
    const o = await importBad('distrokid', STAMPED, ledgerTsv(big), FACTS, { now: new Date('2025-06-01T12:00:00Z'), sum: 'revenue_lines.earnings_e8' })
    expect(o.status, o.message).toBe('ok')
    expect(o.facts.revenue_lines).toBe(big.length)
    expect(o.sum).toBe(big.reduce((s, l) => s + l.earningsE8, 0))
  }, 120_000)

  it('an untimed stats page takes its time from its newest day, not from now', async () => {
    const o = await importBad('distrokid', 'streams_stats.html', streamsPage(days), FACTS, { now: new Date('2025-06-01T12:00:00Z') })
    expect(o.status, o.message).toBe('ok')
    expect(o.landing).toEqual(['20250520_235959_streams_stats.html'])
  })
})
