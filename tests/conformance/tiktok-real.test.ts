/**
 * Conformance on the real TikTok Studio export (read in place from REAL_FIXTURES_DIR) through the real
 * CLI path: import → pipeline --skip-extract → kpi. Figures from ../shared/fixtures/real/README.md §4.
 * Monthly figures evaluate the same KPI functions in-process (what `npm run kpi` calls) and read the
 * warehouse rows the KPIs read.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../lib/config.ts'
import { openServices, type Services } from '../../lib/context.ts'
import { loadRegistry } from '../../lib/registry.ts'
import { envFor, hasReal, lastJson, REAL, runCli, tempDir } from '../helpers.ts'

const ZIP = path.join(REAL, 'tiktok', 'Overview_2024-05-28_1748345895_zone.a0.zip')

const MONTHS: [string, number, number, number, number, number][] = [
  ['2024-05', 0, 0, 0, 0, 0],
  ['2024-06', 0, 0, 0, 0, 0],
  ['2024-07', 24583, 376, 2421, 314, 148],
  ['2024-08', 47944, 665, 6780, 645, 384],
  ['2024-09', 433421, 4895, 60321, 5531, 3357],
  ['2024-10', 281357, 2830, 35969, 3387, 1793],
  ['2024-11', 915936, 8112, 133244, 11327, 8579],
  ['2024-12', 447750, 4167, 56109, 4733, 3365],
  ['2025-01', 1240931, 11001, 179307, 21131, 10543],
  ['2025-02', 567303, 5705, 67854, 6996, 3979],
  ['2025-03', 308658, 2873, 26241, 2325, 1514],
  ['2025-04', 235466, 2234, 16830, 1150, 769],
  ['2025-05', 179793, 1674, 11073, 682, 520],
]

describe.skipIf(!hasReal)('TikTok real export through import → pipeline → KPI', () => {
  let env: Record<string, string>
  let services: Services
  const kpi = async (name: string, ...args: string[]) => {
    const r = await runCli('kpi', [name, ...args], env)
    expect(r.code, r.stderr).toBe(0)
    return lastJson(r.stdout)
  }
  const rows = () => services.wh.db.selectFrom('social_daily').selectAll().where('platform', '=', 'tiktok').orderBy('date').execute()

  beforeAll(async () => {
    env = envFor(await tempDir('tiktok-real-'))
    const imp = await runCli('import', ['tiktok', ZIP], env)
    expect(imp.code, imp.stderr).toBe(0)
    expect(lastJson(imp.stdout).landed.map((l: any) => l.dataset)).toEqual(['overview'])
    const p = await runCli('pipeline', ['tiktok', '--skip-extract'], env)
    expect(p.code, p.stderr).toBe(0)
    services = await openServices(loadConfig(env))
  }, 180_000)
  afterAll(() => services?.close())

  it('365 dates 2024-05-28 … 2025-05-27 for zone.a0; totals 4,683,142 / 44,532 / 596,149 / 58,221 / 34,951', async () => {
    const views = await kpi('tiktok-views', '--days', 'all')
    expect(views.window).toEqual({ from: '2024-05-28', to: '2025-05-27' })
    expect(views.value).toBe(4683142)
    expect(views.series).toHaveLength(365)
    expect(views.breakdown).toEqual([{ key: 'zone.a0', artist: 'ZONE A0', value: 4683142, days: 365 }])
    const engagement = await kpi('tiktok-engagement', '--days', 'all')
    expect(engagement.views).toBe(4683142)
    expect(engagement.interactions).toBe(596149 + 58221 + 34951)
    const followers = await kpi('tiktok-followers', '--days', 'all')
    expect(followers.profileViews).toBe(44532)
    // The export has no follower column: followers are not reported, never 0.
    expect(followers.value).toBeNull()
    expect(followers.note).toMatch(/Overview export has no follower count; it comes with the daily run’s follower snapshot/)
    const r = await rows()
    const sum = (k: 'likes' | 'comments' | 'shares') => r.reduce((s, x) => s + x[k]!, 0)
    expect([sum('likes'), sum('comments'), sum('shares')]).toEqual([596149, 58221, 34951])
    expect(r.every((x) => x.account === 'zone.a0' && x.followers === null)).toBe(true)
  }, 180_000)

  it('34 zero days first, the first views on 2024-07-01, 331 days with views, the peak 2025-01-02, the spot rows', async () => {
    const r = await rows()
    expect(r.slice(0, 34).every((x) => x.views === 0 && x.likes === 0)).toBe(true)
    expect(r.find((x) => x.views! > 0)!.date).toBe('2024-07-01')
    expect(r.filter((x) => x.views! > 0)).toHaveLength(331)
    const peak = r.reduce((a, b) => (b.views! > a.views! ? b : a))
    expect([peak.date, peak.views]).toEqual(['2025-01-02', 349108])
    const spot = (d: string) => {
      const x = r.find((y) => y.date === d)!
      return [x.views, x.profile_views, x.likes, x.comments, x.shares]
    }
    expect(spot('2024-07-01')).toEqual([9, 0, 5, 0, 0])
    expect(spot('2024-12-31')).toEqual([20957, 161, 2756, 317, 157])
    expect(spot('2025-01-01')).toEqual([54018, 405, 7383, 761, 447])
    expect(spot('2025-05-27')).toEqual([6279, 60, 414, 41, 22])
  }, 180_000)

  it('monthly totals per metric', async () => {
    const views = (await loadRegistry()).kpis.get('tiktok-views')!
    const r = await rows()
    for (const [month, v, pv, l, c, s] of MONTHS) {
      const own = r.filter((x) => x.date.startsWith(month))
      const from = month === '2024-05' ? '2024-05-28' : `${month}-01`
      const to = month === '2025-05' ? '2025-05-27' : new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7), 0)).toISOString().slice(0, 10)
      const k = await views.evaluate({ db: services.wh.db, today: '2025-05-27', sources: services.sources }, { from, to })
      expect([month, k.value], month).toEqual([month, v])
      const t = (f: 'profile_views' | 'likes' | 'comments' | 'shares') => own.reduce((a, x) => a + x[f]!, 0)
      expect([month, t('profile_views'), t('likes'), t('comments'), t('shares')]).toEqual([month, pv, l, c, s])
    }
  }, 180_000)

  it('importing the same export again, and running the pipeline again, changes nothing', async () => {
    const before = await rows()
    expect((await runCli('import', ['tiktok', ZIP], env)).code).toBe(0)
    const p = await runCli('pipeline', ['tiktok', '--skip-extract'], env)
    expect(p.code, p.stderr).toBe(0)
    expect(await rows()).toEqual(before)
    expect((await kpi('tiktok-views', '--days', 'all')).value).toBe(4683142)
  }, 180_000)
})
