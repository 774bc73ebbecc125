/**
 * KPIs over complete periods, on the real DistroKid pages + ledger and TooLost files (read in place),
 * loaded through the CLI path (import → pipeline). Every expected figure is worked out here from the
 * README's tables (../shared/fixtures/real/README.md §1–3), not read back from the code. Most KPIs are
 * evaluated in-process with the function `npm run kpi` calls; two go through the CLI itself.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envFor, lastJson, REAL, runCli, skipReal, tempDir } from '../helpers.ts'
import { loadConfig } from '../../lib/config.ts'
import { openServices, type Services } from '../../lib/context.ts'
import { loadRegistry, type Registry } from '../../lib/registry.ts'

const DK = path.join(REAL, 'distrokid')
const LEDGER = path.join(DK, 'derived/dk_bank_details_asof_20250331_DERIVED.tsv')
const TOOLOST = ['toolost_spotify_20250522_124556.json', 'toolost_apple_20250522_124556.json'].map((n) => path.join(REAL, 'toolost', n))

// README §2, newest wins: spot days 2025-05-xx.
const SPOTIFY = { '05-20': 1795, '05-21': 3292, '05-22': 3023, '05-23': 4168, '05-24': 3590, '05-25': 3395, '05-26': 4222, '05-27': 3946 }
const APPLE = { '05-20': 59, '05-21': 91, '05-22': 50, '05-23': 50, '05-24': 42, '05-25': 58, '05-26': 43, '05-27': 53, '05-28': 15 }
// README §2 monthly (DistroKid pages) and §1 per sale month (ledger).
const DK_MONTHLY = {
  '2024-08': { spotify: 861, apple: 0 },
  '2024-09': { spotify: 12294, apple: 1701 },
  '2024-10': { spotify: 40006, apple: 1699 },
  '2024-11': { spotify: 60850, apple: 1320 },
  '2024-12': { spotify: 64866, apple: 1501 },
  '2025-01': { spotify: 93033, apple: 3709 },
}
const LEDGER_E8 = { '2024-12': 20913068840, '2025-01': 27708662850, '2025-02': 3496858616, all: 94404970055 }

describe.skipIf(skipReal)('KPIs on the real fixtures compare complete periods only', () => {
  let env: Record<string, string>
  let services: Services
  let registry: Registry
  const kpi = async (name: string, query: Record<string, string | number> = {}) =>
    (await registry.kpis.get(name)!.evaluate({ db: services.wh.db, today: '2025-06-01', sources: services.sources }, query as never)) as any

  beforeAll(async () => {
    env = envFor(await tempDir('kpis-real-'))
    const pages = (await readdir(DK)).filter((n) => n.endsWith('.html')).map((n) => path.join(DK, n))
    const untimed = pages.filter((p) => !/\d{8}_\d{6}/.test(p))
    await runCli('import', ['distrokid', ...untimed, '--extracted-at', '2025-05-01T00:00:00Z'], env) // the sign-in page is refused
    const dk = await runCli('import', ['distrokid', ...pages.filter((p) => /\d{8}_\d{6}/.test(p)), LEDGER], env)
    expect(dk.code, dk.stderr).toBe(0)
    const tl = await runCli('import', ['toolost', ...TOOLOST], env)
    expect(tl.code, tl.stderr).toBe(0)
    for (const source of ['distrokid', 'toolost']) expect((await runCli('pipeline', [source, '--skip-extract'], env)).code).toBe(0)
    services = await openServices(loadConfig(env))
    registry = await loadRegistry()
  }, 900_000)
  afterAll(() => services?.close())

  it('day over day compares 2025-05-27 with 2025-05-26 for both DistroKid platforms, through the CLI', async () => {
    const r = await runCli('kpi', ['streams-day-over-day'], env)
    expect(r.code, r.stderr).toBe(0)
    const k = lastJson(r.stdout)
    const day27 = SPOTIFY['05-27'] + APPLE['05-27'] // 3,999
    const day26 = SPOTIFY['05-26'] + APPLE['05-26'] // 4,265
    expect([k.date, k.previousDate]).toEqual(['2025-05-27', '2025-05-26'])
    expect([k.streams, k.previousStreams, k.value]).toEqual([day27, day26, day27 - day26])
    expect(k.percent).toBeCloseTo(((day27 - day26) / day26) * 100, 1)
    // TooLost stopped on 05-20: listed, never compared.
    expect(k.distributors).toEqual(['distrokid'])
    expect(k.leftOut).toEqual([{ distributor: 'toolost', lastReported: '2025-05-20' }])
    expect(k.breakdown.find((b: any) => b.key === 'toolost')).toMatchObject({ value: null, notReported: true })
  })

  it('the partial day 05-28 (Apple only) is marked incomplete in the series, the days before are not', async () => {
    const k = await kpi('streams-total', { from: '2025-05-20', to: '2025-05-28' })
    const at = Object.fromEntries(k.series.map((p: any) => [p.date, p]))
    expect(at['2025-05-28']).toMatchObject({ value: APPLE['05-28'], incomplete: true })
    expect(at['2025-05-28'].reason).toMatch(/Spotify \(DistroKid\) has not reported 2025-05-28/)
    expect(at['2025-05-27'].incomplete).toBeUndefined()
    // TooLost's last Spotify day is 05-20: the days after it say TooLost has not reported them.
    expect(at['2025-05-21'].notReportedBy).toEqual(['toolost'])
    expect(at['2025-05-20'].notReportedBy).toBeUndefined()
  })

  it('7-day growth: 05-21 … 05-27 against 05-14 … 05-20, DistroKid only on both sides', async () => {
    const k = await kpi('streams-growth', { days: 7 })
    const week = Object.keys(SPOTIFY)
      .filter((d) => d >= '05-21')
      .reduce((s, d) => s + SPOTIFY[d as keyof typeof SPOTIFY] + APPLE[d as keyof typeof APPLE], 0)
    expect(week).toBe(26023)
    expect(k.compared.current).toEqual({ from: '2025-05-21', to: '2025-05-27' })
    expect(k.compared.previous).toEqual({ from: '2025-05-14', to: '2025-05-20' })
    expect(k.compared.distributors).toEqual(['distrokid'])
    expect(k.streams).toBe(week)
    // The earlier week holds DistroKid's 05-20 (1,795 + 59) and none of TooLost's 1,518 that day.
    expect(k.previousStreams).toBeGreaterThan(SPOTIFY['05-20'] + APPLE['05-20'])
    expect(k.value).toBeCloseTo(((week - k.previousStreams) / k.previousStreams) * 100, 6)
  })

  it('streams by distributor keeps TooLost in a week it did not report, marked', async () => {
    const k = await kpi('streams-by-distributor', { days: 7 })
    const tl = k.breakdown.find((b: any) => b.key === 'toolost')
    expect(tl).toMatchObject({ value: null, notReported: true, lastReported: '2025-05-20' })
    expect(k.series.every((p: any) => p.toolost === null)).toBe(true)
    const dk = k.breakdown.find((b: any) => b.key === 'distrokid')
    const sum = Object.keys(SPOTIFY)
      .filter((d) => d >= '05-22')
      .reduce((s, d) => s + SPOTIFY[d as keyof typeof SPOTIFY], 0)
    const apple = Object.keys(APPLE)
      .filter((d) => d >= '05-22')
      .reduce((s, d) => s + APPLE[d as keyof typeof APPLE], 0)
    expect(dk.value).toBe(sum + apple)
  })

  it('sale month 2025-02 is incomplete (no Spotify yet): marked, and no revenue-drop alert', async () => {
    const months = await kpi('revenue-by-month', { days: 'all' })
    const feb = months.series.find((p: any) => p.date === '2025-02')
    expect(feb).toMatchObject({ exact: '34.96858616', incomplete: true })
    expect(feb.reason).toMatch(/Spotify/)
    expect(months.series.filter((p: any) => p.incomplete).map((p: any) => p.date)).toEqual(['2025-02'])
    const alerts = await kpi('alerts')
    expect(alerts.breakdown.map((a: any) => a.key)).not.toContain('revenue')
  })

  it('the revenue goal measures January: $277.09 of $500', async () => {
    const goals = await kpi('goals')
    const rev = goals.breakdown.find((g: any) => g.key === 'revenue-month')
    expect(rev.period).toBe('2025-01')
    expect(rev.complete).toBe(true)
    expect(rev.actual).toBe(LEDGER_E8['2025-01'] / 1e8)
    expect(rev.value).toBe(Math.round((LEDGER_E8['2025-01'] / 1e8 / 500) * 1000) / 10) // 55.4
    const streams = goals.breakdown.find((g: any) => g.key === 'streams-month')
    expect(streams.through).toBe('2025-05-27')
  })

  it('revenue-total over the default window is January, its change against December', async () => {
    const k = await kpi('revenue-total')
    expect(k.window).toEqual({ from: '2025-01-04', to: '2025-01-31' })
    expect(k.months).toEqual([{ month: '2025-01', complete: true }])
    expect(k.exact).toBe('277.08662850')
    expect(k.change).toBeCloseTo((LEDGER_E8['2025-01'] - LEDGER_E8['2024-12']) / LEDGER_E8['2024-12'], 12)
    const all = await kpi('revenue-total', { days: 'all' })
    expect(all.exact).toBe('944.04970055') // everything reported, the incomplete month included
    expect(all.months.find((m: any) => m.month === '2025-02').complete).toBe(false)
  })

  it('short windows over the ledger name their months and never answer from the unfinished one', async () => {
    const rps = await kpi('revenue-per-stream', { days: 7 })
    expect(rps.window).toEqual({ from: '2025-01-25', to: '2025-01-31' })
    expect(rps.months).toEqual([{ month: '2025-01', complete: true }])
    const feb = await kpi('revenue-per-stream', { from: '2025-02-01', to: '2025-02-28' })
    expect(feb.value).toBeNull()
    expect(feb.months).toMatchObject([{ month: '2025-02', complete: false }])
    const lag = await kpi('payment-lag', { from: '2025-02-01', to: '2025-02-28' })
    expect(lag.value).toBeNull()
    const lagAll = await kpi('payment-lag', { days: 'all' })
    expect(lagAll.basedOnMonths).not.toContain('2025-02')
    expect(String(lagAll.value)).toMatch(/^\d+(\.\d{1,2})?$/) // rounded for display
  })

  it('expected vs actual sets DistroKid streams against the DistroKid ledger on complete months: about +$233', async () => {
    const r = await runCli('kpi', ['revenue-expected-vs-actual', '--days', 'all'], env)
    expect(r.code, r.stderr).toBe(0)
    const k = lastJson(r.stdout)
    const expected = Object.values(DK_MONTHLY).reduce((s, m) => s + m.spotify * 0.002274 + m.apple * 0.005771, 0)
    const actual = (LEDGER_E8.all - LEDGER_E8['2025-02']) / 1e8 // 909.08111439
    expect(k.comparedMonths).toEqual(Object.keys(DK_MONTHLY))
    expect(k.exact).toBe('909.08111439')
    expect(k.expected).toBeCloseTo(expected, 4)
    expect(k.variance).toBeCloseTo(actual - expected, 4)
    expect(k.variance).toBeGreaterThan(230)
    expect(k.variancePct).toBeCloseTo(((actual - expected) / expected) * 100, 1)
    const at = Object.fromEntries(k.series.map((p: any) => [p.date, p]))
    expect(at['2025-01'].status).toBe('PAID')
    // February: Apple and YouTube are in, Spotify is not; due when Spotify's lines usually arrive (days
    // 22–30 of the second month after), judged at the ledger's as-of date 2025-03-30, not today.
    expect(at['2025-02']).toMatchObject({ incomplete: true, awaiting: ['Spotify'] })
    expect(at['2025-02'].status).not.toMatch(/PAID|OVERDUE/)
    expect(at['2025-02'].expectedPaymentDate >= '2025-04-22' && at['2025-02'].expectedPaymentDate <= '2025-04-30').toBe(true)
    expect(k.ledgerAsOf).toBe('2025-03-30')
    // No TooLost streams in the expectation: 2025-03 expects DistroKid's own March only.
    expect(at['2025-03'].streams).toEqual({ spotify: 111565, apple: 3235 })
  })

  it('TooLost per-track and per-country totals are loaded as one snapshot (README §3) and never summed', async () => {
    // README §3: Apple per ISRC and top countries; streamTotal = Σ tracks = Σ countries = 2,558.
    const perIsrc = {
      QT2VB2509864: 741,
      QZPEW2531028: 733,
      QZVEM2588623: 492,
      QT2VB2509865: 310,
      QZVEM2588628: 112,
      QZVEM2588625: 65,
      QZVEM2588624: 54,
      QZVEM2588626: 28,
      QZVEM2588627: 23,
    }
    const tracks = await kpi('streams-by-track', { days: 'all' })
    expect(Object.fromEntries(tracks.breakdown.map((b: any) => [b.key, b.value]))).toEqual(perIsrc)
    expect(tracks.value).toBe(2558)
    expect(tracks.periods).toEqual([{ distributor: 'toolost', platform: 'apple', from: '2025-01-01', to: '2025-05-18' }])
    // Two ISRCs share the title ENGAGEMENT PROTOCOL: keyed by ISRC, both kept.
    expect(tracks.breakdown.filter((b: any) => b.title === 'ENGAGEMENT PROTOCOL')).toHaveLength(2)
    const countries = await kpi('streams-by-country', { days: 'all' })
    expect(countries.countries).toBe(45)
    expect(countries.value).toBe(2558)
    expect(countries.breakdown.slice(0, 5).map((b: any) => [b.key, b.value])).toEqual([
      ['US', 1397],
      ['JP', 362],
      ['CA', 82],
      ['TH', 75],
      ['GB', 72],
    ])
    // Importing the same payloads again and re-running changes nothing (a snapshot is replaced, not added).
    expect((await runCli('import', ['toolost', ...TOOLOST], env)).code).toBe(0)
    expect((await runCli('pipeline', ['toolost', '--skip-extract'], env)).code).toBe(0)
    expect((await kpi('streams-by-track', { days: 'all' })).value).toBe(2558)
    expect((await kpi('streams-by-country', { days: 'all' })).value).toBe(2558)
  }, 300_000)
})
