/**
 * Bad TooLost payloads, table-driven, each landed beside a good extract and run through clean → load:
 * a precise refusal (file kept in landing, nothing of it downstream, curated and warehouse unchanged),
 * quarantined rows (the rest of the file loads), or plain acceptance where the input is only unusual.
 */
import { describe, expect, it } from 'vitest'
import { type CaseResult, type LandedFile, runBadInput } from './harness.ts'

const DAY = 86_400_000
const day = (from: string, i: number) => new Date(Date.parse(`${from}T00:00:00Z`) + i * DAY).toISOString().slice(0, 10)
const streams = (from: string, n: number) => Array.from({ length: n }, (_, i) => ({ date: day(from, i), streams: String(100 + i) }))
const payload = (rows: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ streams: rows, discovery: [], ...extra })

const GOOD: LandedFile = { dataset: 'spotify', name: 'toolost_spotify.json', content: payload(streams('2025-05-01', 10)), extractedAt: '2025-06-01T06:00:00Z' }
const bad = (content: string | Buffer): LandedFile => ({ dataset: 'spotify', name: 'toolost_spotify.json', content, extractedAt: '2025-06-02T06:00:00Z' })
const BAD_NAME = '20250602_060000_toolost_spotify.json'
const usual = payload(streams('2025-05-01', 30))

type Expect = { refused: RegExp } | { quarantined: RegExp[]; loaded: number } | { accepted: number }

const CASES: [string, string | Buffer, Expect][] = [
  ['truncated JSON', usual.slice(0, usual.length - 25), { refused: /^not a complete JSON document \(.+; starts "\{\\"streams\\":\[\{\\"date\\"/ }],
  [
    'an HTML login page as data',
    '<!doctype html><html><head><title>Login | TooLost</title></head><body><form action="/login"></form></body></html>',
    { refused: /^an HTML page \(the portal's login page\? the session had expired\), not an analytics payload$/ },
  ],
  ['the streams block missing', JSON.stringify({ discovery: [] }), { refused: /^neither a Spotify \(`streams` array\) nor an Apple Music/ }],
  [
    'a row missing its count, another its date',
    payload([...streams('2025-05-11', 3), { date: '2025-05-14' }, { streams: '5' }]),
    { quarantined: [/^streams\[3\] streams: not a count: missing$/, /^streams\[4\] date: /], loaded: 13 },
  ],
  [
    'extra blocks and extra fields',
    payload(
      streams('2025-05-11', 3).map((r) => ({ ...r, country: 'US' })),
      { newBlock: { a: 1 }, meta: 'x' },
    ),
    { accepted: 13 },
  ],
  ['a UTF-8 byte order mark', `\uFEFF${payload(streams('2025-05-11', 3))}`, { accepted: 13 }],
  ['CRLF line ends', JSON.stringify(JSON.parse(payload(streams('2025-05-11', 3))), null, 2).replace(/\n/g, '\r\n'), { accepted: 13 }],
  ['CR-only line ends', JSON.stringify(JSON.parse(payload(streams('2025-05-11', 3))), null, 2).replace(/\n/g, '\r'), { accepted: 13 }],
  ['an empty file', '', { refused: /^the file is empty$/ }],
  ['binary content', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x7b]), { refused: /^binary content \(NUL bytes\), not a JSON payload$/ }],
  ['ten times the usual size (300 days)', payload(streams('2024-08-06', 300)), { accepted: 300 }],
  [
    'days in the future of the extract',
    payload([...streams('2025-05-11', 2), { date: '2025-07-15', streams: '9' }, { date: '2026-01-01', streams: '9' }]),
    {
      quarantined: [
        /^streams\[2\] date 2025-07-15 is in the future for an extract of 2025-06-02T06:00:00.000Z$/,
        /^streams\[3\] date 2026-01-01 is in the future/,
      ],
      loaded: 12,
    },
  ],
  [
    'non-numeric, negative, fractional and exponent counts',
    payload([
      ...streams('2025-05-11', 1),
      { date: '2025-05-12', streams: '12a' },
      { date: '2025-05-13', streams: -5 },
      { date: '2025-05-14', streams: 1.5 },
      { date: '2025-05-15', streams: '1e3' },
      { date: '2025-05-16', streams: true },
    ]),
    {
      quarantined: [
        /^streams\[1\] streams: not a count: "12a"$/,
        /^streams\[2\] streams: not a count: -5$/,
        /^streams\[3\] streams: not a count: 1\.5$/,
        /^streams\[4\] streams: not a count: "1e3"$/,
        /^streams\[5\] streams: not a count: true$/,
      ],
      loaded: 11,
    },
  ],
]

function check(r: CaseResult, want: Expect) {
  const clean = r.report.steps.clean!
  expect(r.landing).toContain(BAD_NAME)
  if ('refused' in want) {
    expect(clean.status).toBe('failed')
    const reason = new RegExp(`refused ${BAD_NAME}: (.+) \\(kept in landing\\)`).exec(clean.message ?? '')?.[1]
    expect(reason, clean.message).toMatch(want.refused)
    expect(r.downstreamOfBad).toEqual([])
    expect(r.curatedChanged).toBe(false)
    expect(r.warehouseChanged).toBe(false)
    expect(r.quarantine).toEqual([expect.stringMatching(/^file refused: /)])
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

describe('bad TooLost input', () => {
  for (const [name, content, want] of CASES) {
    it(name, async () => check(await runBadInput('toolost', 'streams_daily', GOOD, bad(content)), want), 60_000)
  }
})
