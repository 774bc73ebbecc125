/**
 * The TooLost cleaner on payloads put straight into landing (or imported): classification by content,
 * the staging blocks, row quarantine and refused files.
 */
import { readFile } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import clean from '../../functions/toolost/clean.ts'
import { readTidy, tidyPath } from '../../lib/datasets/tidy-daily-streams.ts'
import { importFiles } from '../../lib/importer.ts'
import { readNdjson } from '../../lib/lake/lines.ts'
import { makeSystem } from '../helpers.ts'

const AT = new Date('2025-05-22T12:00:00Z')
const SPOTIFY = {
  streams: [
    { date: '2025-05-03', streams: '1200' },
    { date: '2025-05-01', streams: '1000' },
    { date: '2025-05-02', streams: '0' },
  ],
  discovery: [{ date: '2025-04-01', streams: '3592', fees: '2.93076245' }],
}
const APPLE = {
  totalStreams: [
    { date: '2025-05-03', streams: 7 },
    { date: '2025-05-01', streams: 5 },
  ],
  totalShazam: [{ date: '2025-05-01', streams: '9' }],
  tracksTotal: [
    { isrc: 'QZVEM2588623', streams: 8, track: 'THE SOURCE', release: 'THE SOURCE', cover: 'https://fake-cdn.invalid/a.jpg' },
    { isrc: 'QT2VB2509865', streams: 4, track: 'ENGAGEMENT PROTOCOL', release: 'ANOVUS', cover: 'https://fake-cdn.invalid/b.jpg' },
  ],
  countryTotal: [
    { country: 'US', streams: 10 },
    { country: 'JP', streams: 2 },
  ],
  streamTotal: 12,
}

let sys: Awaited<ReturnType<typeof makeSystem>>
beforeEach(async () => {
  sys = await makeSystem()
})
afterEach(() => sys.close())

const land = (dataset: string, body: unknown, at = AT) =>
  sys.services.lake.land('toolost', dataset, `toolost_${dataset}.json`, typeof body === 'string' ? body : JSON.stringify(body, null, 2), at)
const pipeline = () => sys.runner.run({ source: 'toolost', skipExtract: true, trigger: 'cli' })
async function staging(dataset: string) {
  const out: Record<string, unknown>[] = []
  for (const f of await sys.services.lake.list('staging', 'toolost', dataset)) {
    for await (const r of readNdjson<Record<string, unknown>>(f.path)) out.push(r)
  }
  return out
}

describe('TooLost classify (imports decide by content)', () => {
  it('tells Spotify from Apple payloads and refuses anything else', () => {
    const classify = clean.classify!
    expect(classify(JSON.stringify(SPOTIFY, null, 2))).toBe('spotify')
    expect(classify(JSON.stringify(APPLE))).toBe('apple')
    // A head cut off after the first rows still classifies.
    expect(classify(JSON.stringify(APPLE, null, 2).slice(0, 60))).toBe('apple')
    expect(classify('<!doctype html><title>Login | TooLost</title>')).toBeNull()
    expect(classify('Reporting Date\tSale Month\tStore\n')).toBeNull()
    expect(classify('{"data":{"getAccountAnalytics":{}}}')).toBeNull()
  })

  it('files an Apple payload as apple whatever its name, and lands nothing when one file is not TooLost', async () => {
    const bytes = (s: string) => new TextEncoder().encode(s)
    const misnamed = { name: 'toolost_spotify_20250522_124556.json', bytes: bytes(JSON.stringify(APPLE)) }
    const landed = await importFiles(sys.services, sys.runner.registry, 'toolost', [misnamed])
    expect(landed.map((l) => l.dataset)).toEqual(['apple'])
    const before = (await sys.services.lake.list('landing', 'toolost')).length
    await expect(
      importFiles(sys.services, sys.runner.registry, 'toolost', [
        { name: 'toolost_spotify.json', bytes: bytes(JSON.stringify(SPOTIFY)) },
        { name: 'login.html', bytes: bytes('<!doctype html><form><input type="password"></form>') },
      ]),
    ).rejects.toThrow(/cannot import login\.html into toolost/)
    expect(await sys.services.lake.list('landing', 'toolost')).toHaveLength(before)
  })
})

describe('TooLost clean', () => {
  it('stages daily streams as integers and every other block in its own dataset; a missing day stays empty', async () => {
    await land('spotify', SPOTIFY)
    await land('apple', APPLE)
    const report = await pipeline()
    expect(report.status, report.message).toBe('ok')
    expect(report.steps.clean?.rowsQuarantined).toBe(0)

    const daily = await staging('daily_streams')
    expect(daily).toContainEqual({ date: '2025-05-02', platform: 'spotify', streams: 0 })
    expect(daily).toHaveLength(5)
    expect(await staging('spotify_discovery')).toEqual([{ date: '2025-04-01', streams: 3592, fees: '2.93076245', fees_e8: 293076245 }])
    expect(await staging('apple_shazam')).toEqual([{ date: '2025-05-01', shazams: 9 }])
    expect(await staging('apple_tracks')).toEqual([
      { year: 2025, through: '2025-05-03', ...APPLE.tracksTotal[0] },
      { year: 2025, through: '2025-05-03', ...APPLE.tracksTotal[1] },
    ])
    expect(await staging('apple_countries')).toEqual([
      { year: 2025, through: '2025-05-03', country: 'US', streams: 10 },
      { year: 2025, through: '2025-05-03', country: 'JP', streams: 2 },
    ])

    const tidy = (await readTidy(tidyPath(sys.services))).filter((r) => r.distributor === 'toolost')
    expect(tidy.map((r) => [r.date, r.spotify, r.apple])).toEqual([
      ['2025-05-01', 1000, 5],
      ['2025-05-02', 0, null], // Spotify reported 0; Apple reported nothing
      ['2025-05-03', 1200, 7],
    ])
    const csv = await readFile(tidyPath(sys.services), 'utf8')
    expect(csv).toContain('2025-05-02,toolost,0,,0,')
    const wh = await sys.services.wh.db.selectFrom('streams_daily').select(['date', 'platform']).where('date', '=', '2025-05-02').execute()
    expect(wh).toEqual([{ date: '2025-05-02', platform: 'spotify' }])
  })

  it('a DistroKid run after it, with nothing of its own, is skipped, not an "ok" that loaded nothing', async () => {
    await land('spotify', SPOTIFY)
    await land('apple', APPLE)
    expect((await pipeline()).status).toBe('ok')
    // TooLost rewrote the shared tidy file; it holds no DistroKid row.
    const dk = await sys.runner.run({ source: 'distrokid', skipExtract: true, trigger: 'cli' })
    expect(dk.status, dk.message).toBe('skipped')
    expect(dk.steps.load?.message).toBe('no DistroKid rows in the curated data yet')
  })

  it('quarantines bad and repeated rows with their reason and keeps the good ones', async () => {
    await land('spotify', {
      streams: [
        { date: '2025-05-01', streams: '1000' },
        { date: '2025-02-30', streams: '5' },
        { date: '2025-05-02', streams: '-3' },
        { date: '2025-05-03', streams: 'n/a' },
        { date: '2025-05-01', streams: '999' },
        'garbage',
      ],
    })
    const report = await pipeline()
    expect(report.steps.clean).toMatchObject({ status: 'ok', severity: 'medium', rowsOut: 1, rowsQuarantined: 5 })
    const q = await sys.services.wh.db.selectFrom('quarantine').select(['reason', 'record']).where('source', '=', 'toolost').orderBy('id').execute()
    expect(q.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^streams\[1\] date: /),
      'streams[2] streams: not a count: "-3"',
      'streams[3] streams: not a count: "n/a"',
      'streams[4] repeats 2025-05-01 within the same payload',
      expect.stringMatching(/^streams\[5\] /),
    ])
    expect(q[3].record).toBe('{"date":"2025-05-01","streams":"999"}')
    const tidy = (await readTidy(tidyPath(sys.services))).filter((r) => r.distributor === 'toolost')
    expect(tidy.map((r) => [r.date, r.spotify])).toEqual([['2025-05-01', 1000]])
  })

  it('flags an Apple streamTotal that disagrees with its days', async () => {
    await land('apple', { ...APPLE, streamTotal: 13 })
    const report = await pipeline()
    expect(report.steps.clean).toMatchObject({ status: 'ok', severity: 'medium', rowsQuarantined: 1 })
    expect(report.message).toMatch(/1 rows quarantined/)
  })

  it('refuses a truncated payload and one filed under the wrong platform; both stay in landing', async () => {
    await land('spotify', JSON.stringify(SPOTIFY).slice(0, 50))
    await land('apple', SPOTIFY)
    const report = await pipeline()
    expect(report.steps.clean).toMatchObject({ status: 'failed', severity: 'medium', filesIn: 2, filesOut: 0 })
    expect(report.steps.clean?.message).toMatch(/refused \S+_toolost_spotify\.json: not a complete JSON document/)
    expect(report.steps.clean?.message).toMatch(/refused \S+_toolost_apple\.json: a spotify payload filed under apple/)
    expect(await sys.services.lake.list('landing', 'toolost')).toHaveLength(2)
    expect(await sys.services.lake.list('staging', 'toolost')).toEqual([])
    // Refused once: a later run does not report the same files again.
    expect((await pipeline()).status).toBe('skipped')
  })
})
