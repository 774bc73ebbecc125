/**
 * Conformance on the real TooLost files (read in place from REAL_FIXTURES_DIR), through the real CLI
 * path: import → pipeline → KPI. Figures from ../shared/fixtures/real/README.md §3. The eleven monthly
 * and spot-day windows evaluate the same KPI function in-process (what `npm run kpi` calls), to spare
 * eleven process start-ups; the totals and the re-import go through the CLI.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envFor, lastJson, REAL, runCli, skipReal, tempDir } from '../helpers.ts'
import { readNdjson } from '../../lib/lake/lines.ts'
import { sha256File } from '../../lib/lake/hash.ts'
import { loadConfig } from '../../lib/config.ts'
import { openServices, type Services } from '../../lib/context.ts'
import { loadRegistry } from '../../lib/registry.ts'

const FILES = ['toolost_spotify_20250522_124556.json', 'toolost_apple_20250522_124556.json'].map((n) => path.join(REAL, 'toolost', n))

describe.skipIf(skipReal)('TooLost real fixtures through import → pipeline → KPI', () => {
  let env: Record<string, string>
  let services: Services

  const kpi = async (name: string, ...args: string[]) => {
    const r = await runCli('kpi', [name, ...args], env)
    expect(r.code, r.stderr).toBe(0)
    return lastJson(r.stdout)
  }
  const platforms = (k: { breakdown?: { key: string; value: number | null }[] }) => Object.fromEntries((k.breakdown ?? []).map((b) => [b.key, b.value]))
  const byPlatform = async (...args: string[]) => platforms(await kpi('streams-by-platform', ...args))
  const byPlatformIn = async (from: string, to: string) => {
    const def = (await loadRegistry()).kpis.get('streams-by-platform')!
    return platforms(await def.evaluate({ db: services.wh.db, today: '2025-05-22', sources: services.sources }, { from, to }))
  }
  const staged = async (dataset: string) => {
    const rows: any[] = []
    for (const f of await services.lake.list('staging', 'toolost', dataset)) for await (const r of readNdjson(f.path)) rows.push(r)
    return rows
  }

  beforeAll(async () => {
    env = envFor(await tempDir('toolost-real-'))
    const r = await runCli('import', ['toolost', ...FILES], env)
    expect(r.code, r.stderr).toBe(0)
    const out = lastJson(r.stdout)
    expect(out.landed.map((l: any) => [l.dataset, l.extractedAt])).toEqual([
      ['spotify', '2025-05-22T12:45:56.000Z'],
      ['apple', '2025-05-22T12:45:56.000Z'],
    ])
    expect(out.run.steps.clean).toMatchObject({ status: 'ok', filesOut: 2, rowsQuarantined: 0 })
    services = await openServices(loadConfig(env))
  }, 120_000)
  afterAll(() => services?.close())

  it('Spotify 103 dates Σ 93,383; Apple 100 dates Σ 2,558; window 2025-02-07 … 2025-05-20', async () => {
    const k = await kpi('streams-by-platform', '--days', 'all')
    expect(k.window).toEqual({ from: '2025-02-07', to: '2025-05-20' })
    const by = Object.fromEntries(k.breakdown.map((b: any) => [b.key, [b.value, b.days]]))
    expect(by).toEqual({ spotify: [93383, 103], apple: [2558, 100] })
    expect(k.value).toBe(93383 + 2558)
  })

  it('monthly Spotify / Apple', async () => {
    const months = [
      ['2025-02-01', '2025-02-28', 14280, 208],
      ['2025-03-01', '2025-03-31', 24517, 619],
      ['2025-04-01', '2025-04-30', 24584, 582],
      ['2025-05-01', '2025-05-31', 30002, 1149],
    ] as const
    const got = await Promise.all(months.map(([from, to]) => byPlatformIn(from, to)))
    expect(got).toEqual(months.map(([, , spotify, apple]) => ({ spotify, apple })))
  })

  it('spot days; Apple 2025-02-22 and 2025-05-20 are missing, not 0', async () => {
    const spots: [string, number, number | undefined][] = [
      ['2025-02-07', 215, 2],
      ['2025-02-21', 643, 8],
      ['2025-02-22', 646, undefined],
      ['2025-05-09', 1685, 139],
      ['2025-05-13', 2008, 68],
      ['2025-05-18', 1183, 15],
      ['2025-05-20', 1518, undefined],
    ]
    const got = await Promise.all(spots.map(([d]) => byPlatformIn(d, d)))
    expect(got).toEqual(spots.map(([, spotify, apple]) => (apple === undefined ? { spotify } : { spotify, apple })))

    const gap = await services.wh.db.selectFrom('streams_daily').selectAll().where('distributor', '=', 'toolost').where('date', '=', '2025-02-22').execute()
    expect(gap.map((r) => [r.platform, r.streams])).toEqual([['spotify', 646]])
    const tidy = await readFile(path.join(env.BEDROT_DATA_DIR, '4_curated/tidy_daily_streams.csv'), 'utf8')
    expect(tidy).toMatch(/^2025-02-22,toolost,646,,646,2025-05-22T12:45:56\.000Z$/m)
  })

  it('the staged Apple blocks: per ISRC, top countries, Shazam (staging only, no KPI yet)', async () => {
    const tracks = Object.fromEntries((await staged('apple_tracks')).map((t) => [t.isrc, t.streams]))
    expect(tracks).toEqual({
      QT2VB2509864: 741,
      QZPEW2531028: 733,
      QZVEM2588623: 492,
      QT2VB2509865: 310,
      QZVEM2588628: 112,
      QZVEM2588625: 65,
      QZVEM2588624: 54,
      QZVEM2588626: 28,
      QZVEM2588627: 23,
    })
    const countries = await staged('apple_countries')
    expect(countries).toHaveLength(45)
    const top = countries.slice(0, 5).map((c) => [c.country, c.streams])
    expect(top).toEqual([
      ['US', 1397],
      ['JP', 362],
      ['CA', 82],
      ['TH', 75],
      ['GB', 72],
    ])
    expect(countries.reduce((s, c) => s + c.streams, 0)).toBe(2558)
    const shazam = await staged('apple_shazam')
    expect([shazam.length, shazam.reduce((s, r) => s + r.shazams, 0)]).toEqual([13, 88])
  })

  it('importing the same files again and re-running change nothing', async () => {
    const tidyFile = path.join(env.BEDROT_DATA_DIR, '4_curated/tidy_daily_streams.csv')
    const rows = () => services.wh.db.selectFrom('streams_daily').selectAll().where('distributor', '=', 'toolost').orderBy('date').orderBy('platform').execute()
    const [hash, before] = [await sha256File(tidyFile), await rows()]
    const again = await runCli('import', ['toolost', ...FILES], env)
    expect(again.code, again.stderr).toBe(0)
    expect(lastJson(again.stdout).run.status).toBe('skipped')
    const rerun = await runCli('pipeline', ['toolost', '--skip-extract'], env)
    expect(rerun.code, rerun.stderr).toBe(0)
    expect(await sha256File(tidyFile)).toBe(hash)
    expect(await rows()).toEqual(before)
    expect(await byPlatform('--days', 'all')).toEqual({ spotify: 93383, apple: 2558 })
  }, 120_000)
})
