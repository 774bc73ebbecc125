/**
 * Bad Spotify for Artists input, table-driven: the Audience CSV (what a person imports) and the
 * audience timeline JSON (what the extractor lands), each landed beside a good extract and run through
 * clean → load. A precise refusal leaves landing kept and curated/warehouse untouched; bad rows are
 * quarantined while the rest loads; merely unusual input is accepted.
 */
import { describe, expect, it } from 'vitest'
import { type CaseResult, type LandedFile, runBadInput } from './harness.ts'

const ZONE = '62owJQCD2XzVB2o19CVsFM'
const DAY = 86_400_000
const day = (from: string, i: number) => new Date(Date.parse(`${from}T00:00:00Z`) + i * DAY).toISOString().slice(0, 10)
const csvRows = (from: string, n: number) => Array.from({ length: n }, (_, i) => `${day(from, i)},${1000 + i},${3000 + i},${500 + i}`)
const csv = (rows: string[], header = 'date,listeners,streams,followers', eol = '\n') => [header, ...rows].join(eol) + eol
const timeline = (from: string, n: number) =>
  JSON.stringify({ timelinePoint: Array.from({ length: n }, (_, i) => ({ date: day(from, i), num: String(3000 + i) })) })

const GOOD: LandedFile = {
  dataset: 'audience_csv',
  name: `spotify_audience_${ZONE}.csv`,
  content: csv(csvRows('2025-05-01', 10)),
  extractedAt: '2025-06-01T06:00:00Z',
}
const CSV_NAME = `spotify_audience_${ZONE}.csv`
const JSON_NAME = `s4a_timeline_${ZONE}_streams_last28.json`
const asCsv = (content: string | Buffer): LandedFile => ({ dataset: 'audience_csv', name: CSV_NAME, content, extractedAt: '2025-06-02T06:00:00Z' })
const asJson = (content: string | Buffer): LandedFile => ({ dataset: 'timeline', name: JSON_NAME, content, extractedAt: '2025-06-02T06:00:00Z' })
const LOGIN = '<!DOCTYPE html><html><head><title>Log in - Spotify</title></head><body><form action="/login"></form></body></html>'

type Expect = { refused: RegExp } | { quarantined: RegExp[]; loaded: number } | { accepted: number }

const CASES: [string, LandedFile, Expect][] = [
  ['truncated timeline JSON', asJson(timeline('2025-05-11', 5).slice(0, -30)), { refused: /^not valid JSON \(truncated\?\): \d+ bytes$/ }],
  [
    'an Audience CSV cut off mid-row',
    asCsv(csv(csvRows('2025-05-11', 3)).slice(0, -8)),
    { quarantined: [/^3 of 4 fields \(a row cut short\?\)$/], loaded: 12 },
  ],
  ['an HTML login page as timeline data', asJson(LOGIN), { refused: /^an HTML page \(a login page\?\) instead of the timeline JSON$/ }],
  ['an HTML login page saved as the CSV', asCsv(LOGIN), { refused: /^not an S4A audience CSV: header lacks date, listeners, streams, followers$/ }],
  ['a missing column', asCsv(csv(['2025-05-11,1,2'], 'date,listeners,streams')), { refused: /^not an S4A audience CSV: header lacks followers$/ }],
  ['a timeline without its points', asJson(JSON.stringify({ points: [] })), { refused: /^not a timeline payload: timelinePoint: / }],
  [
    'extra columns and fields',
    asCsv(
      csv(
        csvRows('2025-05-11', 3).map((r) => `${r},x,9`),
        'date,listeners,streams,followers,country,saves',
      ),
    ),
    { accepted: 13 },
  ],
  ['a UTF-8 byte order mark on the CSV', asCsv(`\uFEFF${csv(csvRows('2025-05-11', 3))}`), { accepted: 13 }],
  ['a UTF-8 byte order mark on the JSON', asJson(`\uFEFF${timeline('2025-05-11', 3)}`), { accepted: 13 }],
  ['CRLF line ends', asCsv(csv(csvRows('2025-05-11', 3), undefined, '\r\n')), { accepted: 13 }],
  ['CR-only line ends', asCsv(csv(csvRows('2025-05-11', 3), undefined, '\r')), { accepted: 13 }],
  ['an empty CSV', asCsv(''), { refused: /^the file is empty$/ }],
  ['an empty timeline', asJson(''), { refused: /^the file is empty$/ }],
  ['a binary CSV', asCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00])), { refused: /^binary content \(NUL bytes\), not a text export$/ }],
  ['a binary timeline', asJson(Buffer.from([0x7b, 0x00, 0x22])), { refused: /^binary content \(NUL bytes\), not timeline JSON$/ }],
  ['ten times the usual size (a year of days)', asCsv(csv(csvRows('2024-06-02', 366))), { accepted: 366 }],
  [
    'days in the future of the extract',
    asCsv(csv([...csvRows('2025-05-11', 2), '2025-08-01,1,2,3'])),
    { quarantined: [/^date 2025-08-01 is in the future for an extract of 2025-06-02T06:00:00\.000Z$/], loaded: 12 },
  ],
  [
    'future days in a timeline',
    asJson(
      JSON.stringify({
        timelinePoint: [
          { date: '2025-05-11', num: '5' },
          { date: '2027-01-01', num: '6' },
        ],
      }),
    ),
    { quarantined: [/^date 2027-01-01 is in the future/], loaded: 11 },
  ],
  [
    'non-numeric, negative and fractional counts',
    asCsv(csv(['2025-05-11,n/a,1,1', '2025-05-12,1,-5,1', '2025-05-13,1,1,1.5', '2025-05-14,"1,200",3,4'])),
    {
      quarantined: [/^listeners "n\/a" is not a count$/, /^streams "-5" is not a count$/, /^followers "1\.5" is not a count$/],
      loaded: 11,
    },
  ],
]

function check(r: CaseResult, landedAs: string, want: Expect) {
  const clean = r.report.steps.clean!
  expect(r.landing.some((f) => f.endsWith(landedAs))).toBe(true)
  if ('refused' in want) {
    expect(clean.status).toBe('failed')
    const reason = /refused [^:]+: (.+) \(kept in landing\)/.exec(clean.message ?? '')?.[1]
    expect(reason, clean.message).toMatch(want.refused)
    expect(r.downstreamOfBad).toEqual([])
    expect(r.curatedChanged).toBe(false)
    expect(r.warehouseChanged).toBe(false)
    return
  }
  expect(clean.status, clean.message).toBe('ok')
  expect(r.report.steps.load!.status).toBe('ok')
  if ('quarantined' in want) {
    expect(clean.severity).toBe('medium')
    expect(r.quarantine).toHaveLength(want.quarantined.length)
    want.quarantined.forEach((re, i) => expect(r.quarantine[i]).toMatch(re))
    expect(r.rows).toHaveLength(want.loaded)
  } else {
    expect(r.quarantine).toEqual([])
    expect(r.rows).toHaveLength(want.accepted)
  }
}

describe('bad Spotify input', () => {
  for (const [name, file, want] of CASES) {
    it(name, async () => check(await runBadInput('spotify', 'spotify_audience_daily', GOOD, file), file.name, want), 60_000)
  }
})
