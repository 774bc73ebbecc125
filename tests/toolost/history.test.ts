/**
 * TooLost's year-to-date window against history: the merge over every extract (newest wins per
 * platform and date), the January restart that erased a year in the original, and idempotent re-runs.
 * Extracts run at chosen instants (the fake's clock and the landing stamp), clean → load through the runner.
 */
import { readdir, readFile } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import extract from '../../functions/toolost/extract.ts'
import { runContext } from '../../lib/context.ts'
import { readTidy, tidyPath } from '../../lib/datasets/tidy-daily-streams.ts'
import { importFiles } from '../../lib/importer.ts'
import { makeSystem } from '../helpers.ts'
import { createFakeTooLost, fakeJwt, serveFake, type DailyPoint, type FakeTooLost } from '../../functions/toolost/fake.ts'

const DAY = 86_400_000

function days(from: string, to: string, base: number, skip: string[] = []): DailyPoint[] {
  const out: DailyPoint[] = []
  for (let t = Date.parse(`${from}T00:00:00Z`), i = 0; t <= Date.parse(`${to}T00:00:00Z`); t += DAY, i++) {
    const date = new Date(t).toISOString().slice(0, 10)
    if (!skip.includes(date)) out.push({ date, streams: base + ((i * 41) % 67) })
  }
  return out
}
const sum = (ps: { streams: number }[]) => ps.reduce((s, p) => s + p.streams, 0)
const within = (ps: DailyPoint[], from: string, to: string) => ps.filter((p) => p.date >= from && p.date <= to)

let fake: FakeTooLost
let server: { url: string; close(): Promise<void> }
let sys: Awaited<ReturnType<typeof makeSystem>>

async function setup(spotify: DailyPoint[], apple: DailyPoint[]) {
  fake = createFakeTooLost({ spotify, apple })
  server = await serveFake(fake.app)
  sys = await makeSystem({ TOOLOST_BASE_URL: server.url })
  // Valid now and at every simulated run (the session's status is read on the real clock; the runs below
  // move only the portal's clock and the run's `now`).
  await sys.services.credentials.save('toolost', 'default', { token: fakeJwt(new Date(Date.now() + 7 * DAY)) })
}
afterEach(async () => {
  await sys?.close()
  await server?.close()
})

/** Extract as if run at `now` (the portal's today and the landing stamp), then clean → load. */
async function dailyRunAt(iso: string) {
  const now = new Date(iso)
  fake.setNow(now)
  const ctx = { ...runContext(sys.services, { runId: `extract-${iso}`, mode: 'automated', window: {} }), now }
  const extracted = await extract.run(ctx)
  expect(extracted.status, extracted.message).toBe('ok')
  const report = await sys.runner.run({ source: 'toolost', skipExtract: true, trigger: 'cli' })
  expect(report.status, report.message).toBe('ok')
  return report
}

const tidy = async () => (await readTidy(tidyPath(sys.services))).filter((r) => r.distributor === 'toolost')
const warehouse = () =>
  sys.services.wh.db.selectFrom('streams_daily').selectAll().where('distributor', '=', 'toolost').orderBy('date').orderBy('platform').execute()

describe('TooLost across a year change', () => {
  const spotify = days('2025-12-20', '2026-01-05', 800)
  const apple = days('2025-12-22', '2026-01-05', 20, ['2025-12-25', '2026-01-02'])
  beforeEach(() => setup(spotify, apple))

  it('keeps last December when the January extract only covers the new year', async () => {
    await dailyRunAt('2025-12-31T18:00:00Z')
    await dailyRunAt('2026-01-03T18:00:00Z')

    // The window really restarted: the newest Spotify payload has no 2025 day at all.
    const newest = (await sys.services.lake.list('landing', 'toolost', 'spotify')).at(-1)!
    const served = JSON.parse(await readFile(newest.path, 'utf8')) as { streams: { date: string }[] }
    expect(served.streams.map((s) => s.date).sort()).toEqual(['2026-01-01', '2026-01-02', '2026-01-03'])

    const rows = await tidy()
    expect(rows.map((r) => r.date)).toEqual(days('2025-12-20', '2026-01-03', 0).map((p) => p.date))
    expect(sum(rows.map((r) => ({ streams: r.spotify ?? 0 })))).toBe(sum(within(spotify, '2025-12-20', '2026-01-03')))
    expect(rows.filter((r) => r.apple === null).map((r) => r.date)).toEqual(['2025-12-20', '2025-12-21', '2025-12-25', '2026-01-02'])

    const wh = await warehouse()
    const of = (p: string) => wh.filter((r) => r.platform === p)
    expect(of('spotify')).toHaveLength(15)
    expect(sum(of('spotify'))).toBe(sum(within(spotify, '2025-12-20', '2026-01-03')))
    expect(of('apple')).toHaveLength(11)
    expect(sum(of('apple'))).toBe(sum(within(apple, '2025-12-20', '2026-01-03')))
    expect(of('spotify').filter((r) => r.date < '2026-01-01')).toHaveLength(12)

    const res = await sys.app.request('/kpi/streams-by-platform?from=2025-12-01&to=2025-12-31')
    const kpi = (await res.json()) as { breakdown: { key: string; value: number }[] }
    expect(Object.fromEntries(kpi.breakdown.map((b) => [b.key, b.value]))).toEqual({
      spotify: sum(within(spotify, '2025-12-01', '2025-12-31')),
      apple: sum(within(apple, '2025-12-01', '2025-12-31')),
    })
  })

  it('an imported file for the new year does not erase the previous year', async () => {
    const payload = (ps: DailyPoint[]) =>
      new TextEncoder().encode(JSON.stringify({ streams: ps.map((p) => ({ date: p.date, streams: String(p.streams) })), discovery: [] }))
    const importOne = async (name: string, ps: DailyPoint[]) => {
      await importFiles(sys.services, sys.runner.registry, 'toolost', [{ name, bytes: payload(ps) }])
      expect((await sys.runner.run({ source: 'toolost', skipExtract: true, trigger: 'import' })).status).toBe('ok')
    }
    await importOne('toolost_spotify_20251231_180000.json', within(spotify, '2025-01-01', '2025-12-31'))
    await importOne('toolost_spotify_20260103_180000.json', within(spotify, '2026-01-01', '2026-01-03'))
    const wh = await warehouse()
    expect(wh.map((r) => r.date)).toEqual(days('2025-12-20', '2026-01-03', 0).map((p) => p.date))
    expect(sum(wh)).toBe(sum(within(spotify, '2025-12-20', '2026-01-03')))
  })
})

describe('TooLost newest extract wins', () => {
  const spotify = days('2025-05-01', '2025-05-12', 900)
  const apple = days('2025-05-01', '2025-05-12', 10, ['2025-05-09'])
  beforeEach(() => setup(spotify, apple))

  it('takes restated and late days from the newer extract, never sums, keeps first-seen lineage for repeats', async () => {
    await dailyRunAt('2025-05-10T06:00:00Z')
    const restated = spotify.map((p) => (p.date === '2025-05-08' ? { ...p, streams: p.streams + 1000 } : p))
    fake.setDaily('spotify', restated)
    fake.setDaily('apple', days('2025-05-01', '2025-05-12', 10)) // Apple reports 05-09 late
    await dailyRunAt('2025-05-12T06:00:00Z')

    const rows = await tidy()
    const day = (d: string) => rows.find((r) => r.date === d)!
    expect(day('2025-05-08').spotify).toBe(restated.find((p) => p.date === '2025-05-08')!.streams)
    expect(day('2025-05-08').extractedAt).toBe('2025-05-12T06:00:00.000Z')
    expect(day('2025-05-09').apple).toBe(days('2025-05-01', '2025-05-12', 10).find((p) => p.date === '2025-05-09')!.streams)
    expect(day('2025-05-03')).toMatchObject({ spotify: spotify[2].streams, extractedAt: '2025-05-10T06:00:00.000Z' })
    const wh = await warehouse()
    expect(sum(wh.filter((r) => r.platform === 'spotify'))).toBe(sum(within(restated, '2025-05-01', '2025-05-12')))
    expect(wh.find((r) => r.date === '2025-05-08' && r.platform === 'spotify')!.extracted_at).toBe('2025-05-12T06:00:00.000Z')
  })

  it('re-running with the same upstream data changes no byte of curated and no warehouse row', async () => {
    // Both runs come after the last day of data, so both serve the very same days.
    await dailyRunAt('2025-05-13T06:00:00Z')
    const curated = await readFile(tidyPath(sys.services))
    const rows = await warehouse()
    const archive = sys.services.lake.dir('archive', 'tidy_daily_streams')
    const archived = await readdir(archive).catch(() => [])

    const second = await dailyRunAt('2025-05-14T06:00:00Z')
    expect(second.steps.clean?.filesOut).toBe(2) // new payloads, same values
    expect(second.steps.load?.status).toBe('skipped')
    const third = await sys.runner.run({ source: 'toolost', skipExtract: true, trigger: 'cli' })
    expect(third.status).toBe('skipped')

    expect(await readFile(tidyPath(sys.services))).toEqual(curated)
    expect(await warehouse()).toEqual(rows)
    expect(await readdir(archive).catch(() => [])).toEqual(archived)
  })
})
