/**
 * Conformance on the 13 real Linktree GraphQL captures (read in place from REAL_FIXTURES_DIR) through
 * the real CLI path: import → pipeline --skip-extract → kpi. Figures from
 * ../shared/fixtures/real/README.md §6. Devices, countries and daily social clicks are read from the
 * warehouse rows the loader wrote.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../lib/config.ts'
import { openServices, type Services } from '../../lib/context.ts'
import { envFor, hasReal, lastJson, REAL, runCli, tempDir } from '../helpers.ts'

const DIR = path.join(REAL, 'linktree')
const DAYS = ['2025-05-21', '2025-05-22', '2025-05-23', '2025-05-24', '2025-05-25', '2025-05-26', '2025-05-27']

describe.skipIf(!hasReal)('Linktree real captures through import → pipeline → KPI', () => {
  let env: Record<string, string>
  let services: Services
  let files: string[]
  const kpi = async (name: string, ...args: string[]) => {
    const r = await runCli('kpi', [name, ...args], env)
    expect(r.code, r.stderr).toBe(0)
    return lastJson(r.stdout)
  }
  const totals = (kind: string) =>
    services.wh.db
      .selectFrom('link_totals')
      .select(['key', 'title', 'views', 'clicks'])
      .where('kind', '=', kind)
      .orderBy('clicks', 'desc')
      .orderBy('key')
      .execute()

  beforeAll(async () => {
    env = envFor(await tempDir('linktree-real-'))
    files = hasReal ? (await readdir(DIR)).filter((n) => n.endsWith('.json')).map((n) => path.join(DIR, n)) : []
    const imp = await runCli('import', ['linktree', ...files], env)
    expect(imp.code, imp.stderr).toBe(0)
    const p = await runCli('pipeline', ['linktree', '--skip-extract'], env)
    expect(p.code, p.stderr).toBe(0)
    services = await openServices(loadConfig(env))
  }, 180_000)
  afterAll(() => services?.close())

  it('the daily fact: views 73, clicks 46, unique views 50, unique clicks 20 over 2025-05-21 … 27', async () => {
    expect(files).toHaveLength(13)
    const k = await kpi('linktree-clicks', '--days', 'all')
    expect(k.window).toEqual({ from: DAYS[0], to: DAYS[6] })
    expect(k.value).toBe(46)
    expect(k.views).toBe(73)
    expect(k.ctr).toBeCloseTo(0.6301, 4)
    expect(k.series.map((s: any) => s.date)).toEqual(DAYS)
    expect(k.series.map((s: any) => s.views)).toEqual([20, 10, 12, 9, 8, 11, 3])
    expect(k.series.map((s: any) => s.value)).toEqual([8, 7, 5, 4, 9, 13, 0])
    expect(k.series.map((s: any) => s.uniqueViews)).toEqual([8, 8, 7, 7, 7, 11, 2])
    expect(k.series.map((s: any) => s.uniqueClicks)).toEqual([6, 2, 2, 3, 2, 5, 0])
  }, 180_000)

  it('links Σ 40 with their titles, socials Σ 6, referrers Σ 73/46, lifetime 3,502 / 1,702 as a snapshot', async () => {
    const k = await kpi('linktree-clicks', '--days', 'all')
    expect(k.linksWindow).toEqual({ from: DAYS[0], to: DAYS[6] })
    const links = k.breakdown.filter((b: any) => b.kind === 'link')
    expect(links.map((b: any) => [b.title, b.value])).toEqual([
      ['ZONE A0 - THE SOURCE EP', 9],
      ['PIG1987', 7],
      ['ZONE A0', 6],
      ['PIG1987 - TRANSFORMER ARCHITECTURE', 6],
      ['CYBERCORE STARTER PACK - SPOTIFY PLAYLIST', 5],
      ['THE STATE OF THE WORLD', 5],
      ['THIS IS WEBCORE - SPOTIFY PLAYLIST', 2],
    ])
    expect(links.reduce((s: number, b: any) => s + b.value, 0)).toBe(40)
    expect(k.breakdown.filter((b: any) => b.kind === 'social').map((b: any) => [b.key, b.value])).toEqual([
      ['instagram', 5],
      ['email_address', 1],
    ])
    expect(k.referrers.map((r: any) => [r.key, r.views, r.clicks])).toEqual([
      ['Tiktok', 41, 24],
      ['Instagram', 19, 13],
      ['Direct', 5, 7],
      ['Facebook', 4, 2],
      ['Linktree', 2, 0],
      ['Youtube', 2, 0],
    ])
    expect(k.lifetime).toEqual({ date: '2025-05-27', views: 3502, clicks: 1702, profileClicks: 1379, socialClicks: 301, subscribers: 0 })
  }, 180_000)

  it('devices, 30 countries and 53 cities, social clicks per day', async () => {
    expect((await totals('device')).map((d) => [d.key, d.views, d.clicks])).toEqual([
      ['mobile', 65, 38],
      ['desktop', 8, 8],
    ])
    const countries = await totals('country')
    expect(countries).toHaveLength(30)
    const byViews = [...countries].sort((a, b) => b.views! - a.views! || a.key.localeCompare(b.key)).slice(0, 5)
    expect(byViews.map((c) => [c.key, c.views, c.clicks])).toEqual([
      ['US', 26, 20],
      ['CA', 5, 2],
      ['AR', 3, 3],
      ['CL', 3, 3],
      ['ID', 3, 1],
    ])
    expect(countries.reduce((s, c) => s + c.views!, 0)).toBe(73)
    expect(await totals('city')).toHaveLength(53)
    const social = await services.wh.db.selectFrom('link_clicks').select(['date', 'clicks']).execute()
    expect(DAYS.map((d) => social.filter((s) => s.date === d).reduce((a, s) => a + s.clicks, 0))).toEqual([0, 2, 1, 2, 0, 1, 0])
  }, 180_000)

  it('importing the captures again, and running the pipeline again, changes nothing', async () => {
    const before = await services.wh.db.selectFrom('link_daily').selectAll().orderBy('date').execute()
    expect((await runCli('import', ['linktree', ...files], env)).code).toBe(0)
    expect((await runCli('pipeline', ['linktree', '--skip-extract'], env)).code).toBe(0)
    expect(await services.wh.db.selectFrom('link_daily').selectAll().orderBy('date').execute()).toEqual(before)
    expect((await kpi('linktree-clicks', '--days', 'all')).value).toBe(46)
  }, 180_000)
})
