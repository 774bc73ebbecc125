/**
 * Bad input for the API sources (YouTube reports, Mailchimp list activity, Instagram insights),
 * table-driven through the same harness as the others: each bad file lands beside a good extract and the
 * source runs clean → load. A precise refusal keeps the file in landing with nothing of it downstream and
 * curated and the warehouse unchanged; a bad row is quarantined with its reason while the rest loads;
 * an unusual but valid file loads.
 */
import { describe, expect, it } from 'vitest'
import { pacificDayEnd } from '../../functions/instagram/fake.ts'
import { type CaseResult, type LandedFile, runBadInput } from './harness.ts'

const DAY = 86_400_000
const day = (i: number) => new Date(Date.parse('2025-05-01T00:00:00Z') + i * DAY).toISOString().slice(0, 10)
const days = (n: number, from = 0) => Array.from({ length: n }, (_, i) => day(from + i))
type Expect = { refused: RegExp } | { quarantined: RegExp; loaded: number } | { accepted: number }

interface SourceCase {
  source: string
  table: 'youtube_daily' | 'email_daily' | 'social_daily'
  dataset: string
  name: string
  /** A payload with these days (value 7 each), or a bad value on the last day. */
  payload(dates: string[], badValue?: unknown, extra?: Record<string, unknown>): unknown
  rowsOf(rows: Record<string, unknown>[]): number
}

const SOURCES: SourceCase[] = [
  {
    source: 'youtube',
    table: 'youtube_daily',
    dataset: 'report',
    name: 'report--default--2025-05-01--2025-05-31.json',
    payload: (dates, badValue, extra = {}) => ({
      kind: 'youtubeAnalytics#resultTable',
      columnHeaders: [
        { name: 'day', columnType: 'DIMENSION', dataType: 'STRING' },
        { name: 'views', columnType: 'METRIC', dataType: 'INTEGER' },
      ],
      rows: dates.map((d, i) => [d, badValue !== undefined && i === dates.length - 1 ? badValue : 7]),
      ...extra,
    }),
    rowsOf: (rows) => rows.length,
  },
  {
    source: 'mailchimp',
    table: 'email_daily',
    dataset: 'activity',
    name: 'activity-a1b2c3d4e5.json',
    payload: (dates, badValue, extra = {}) => ({
      list_id: 'a1b2c3d4e5',
      activity: dates.map((d, i) => ({ day: i === dates.length - 1 && badValue !== undefined ? badValue : d, subs: 7, unsubs: 0 })),
      ...extra,
    }),
    rowsOf: (rows) => rows.length,
  },
  {
    source: 'instagram',
    table: 'social_daily',
    dataset: 'insights',
    name: 'insights--default--2025-05-01--2025-05-31.json',
    payload: (dates, badValue, extra = {}) => ({
      data: [
        {
          name: 'reach',
          period: 'day',
          values: dates.map((d, i) => ({ value: 7, end_time: i === dates.length - 1 && badValue !== undefined ? String(badValue) : pacificDayEnd(d) })),
        },
      ],
      ...extra,
    }),
    rowsOf: (rows) => rows.length,
  },
]

for (const s of SOURCES) {
  const good: LandedFile = { dataset: s.dataset, name: s.name, content: JSON.stringify(s.payload(days(10))), extractedAt: '2025-06-01T06:00:00Z' }
  const bad = (content: string | Buffer): LandedFile => ({ dataset: s.dataset, name: s.name, content, extractedAt: '2025-06-02T06:00:00Z' })
  const usual = JSON.stringify(s.payload(days(30)))
  const futureDay = s.source === 'mailchimp' ? day(50) : '2025-07-20'
  const cases: [string, string | Buffer, Expect][] = [
    ['truncated JSON', usual.slice(0, usual.length - 20), { refused: /^not a complete JSON document/ }],
    ['an HTML login page as data', '<!doctype html><html><body><form action="/login"></form></body></html>', { refused: /^an HTML page \(a sign-in page\?\)/ }],
    ['the payload of another shape (missing fields)', JSON.stringify({ something: [] }), { refused: /^not a / }],
    ['extra fields', JSON.stringify(s.payload(days(30), undefined, { newField: { a: 1 } })), { accepted: 30 }],
    ['a byte order mark', `\uFEFF${usual}`, { accepted: 30 }],
    ['CRLF line ends', JSON.stringify(s.payload(days(30)), null, 2).replace(/\n/g, '\r\n'), { accepted: 30 }],
    ['CR-only line ends', JSON.stringify(s.payload(days(30)), null, 2).replace(/\n/g, '\r'), { accepted: 30 }],
    ['an empty file', '', { refused: /^the file is empty$/ }],
    ['binary content', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0xff, 0xfe, 0x00, 0x10]), { refused: /^not a complete JSON document/ }],
  ]
  // Instagram answers at most 30 days a request (its window is in the file name), so ten times its usual
  // size cannot come from it; the others get 300 days up to the day before the extract.
  if (s.source !== 'instagram') cases.push(['ten times the usual size', JSON.stringify(s.payload(days(300, -269))), { accepted: 300 }])
  if (s.source !== 'instagram') {
    // Instagram's window is its file name's: a day outside it is quarantined by the window check instead.
    cases.push([
      'days in the future of the extract',
      JSON.stringify(s.payload([...days(29), futureDay])),
      { quarantined: /is after the extract was taken/, loaded: 29 },
    ])
  }
  cases.push([
    'a value that is not a number (or date)',
    JSON.stringify(s.payload(days(30), s.source === 'youtube' ? '12a' : 'yesterday')),
    s.source === 'mailchimp'
      ? { quarantined: /is not YYYY-MM-DD/, loaded: 29 }
      : s.source === 'youtube'
        ? { quarantined: /views "12a" is not a count/, loaded: 29 }
        : { quarantined: /end_time "yesterday"/, loaded: 29 },
  ])

  describe(`bad ${s.source} input`, () => {
    for (const [name, content, want] of cases) {
      it(name, async () => check(await runBadInput(s.source, s.table, good, bad(content)), want, s), 60_000)
    }
  })
}

function check(r: CaseResult, want: Expect, s: SourceCase) {
  if ('refused' in want) {
    expect(r.report.steps.clean?.status, r.report.message).toBe('failed')
    expect(r.report.steps.clean?.message).toMatch(/refused/)
    const reason = r.quarantine.find((q) => q.startsWith('file refused: '))?.slice('file refused: '.length)
    expect(reason).toMatch(want.refused)
    expect(r.landing.length).toBe(2)
    expect(r.downstreamOfBad).toEqual([])
    expect(r.curatedChanged).toBe(false)
    expect(r.warehouseChanged).toBe(false)
    return
  }
  expect(r.report.steps.clean?.status, r.report.message).toBe('ok')
  if ('quarantined' in want) {
    expect(
      r.quarantine.some((q) => want.quarantined.test(q)),
      r.quarantine.join('\n'),
    ).toBe(true)
    expect(s.rowsOf(r.rows)).toBeGreaterThanOrEqual(want.loaded)
  } else {
    expect(r.quarantine).toEqual([])
    expect(s.rowsOf(r.rows)).toBeGreaterThanOrEqual(want.accepted)
  }
}
