/**
 * Conformance on the real DistroKid files (read in place from REAL_FIXTURES_DIR), through the real CLI
 * path: import → pipeline → KPI. Figures from ../shared/fixtures/real/README.md §1–2.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { envFor, lastJson, REAL, runCli, skipReal, tempDir } from '../helpers.ts'
import { sha256File } from '../../lib/lake/hash.ts'
import { formatE8 } from '../../lib/money.ts'
import { openWarehouse } from '../../lib/warehouse/db.ts'
import { LEDGER_HEADER_15 } from '../../functions/distrokid/fake-data.ts'

const DK = path.join(REAL, 'distrokid')
const LEDGER = path.join(DK, 'derived/dk_bank_details_asof_20250331_DERIVED.tsv')

const BY_STORE = {
  Spotify: [2652, 286593, '756.84413083'],
  'Apple Music': [527, 20209, '117.88399912'],
  'YouTube (Red)': [468, 7213, '51.85027200'],
  'YouTube (Ads)': [566, 5039, '8.70041303'],
  Tidal: [73, 237, '2.52291405'],
  'Amazon Unlimited (Streaming)': [30, 279, '2.23055171'],
  Deezer: [13, 365, '1.39971018'],
  'iTunes Songs': [2, 2, '1.32821832'],
  TikTok: [124, 930, '1.08875181'],
  Facebook: [62, 1765, '0.09838292'],
  Pandora: [7, 16, '0.06290693'],
  'Amazon Prime (Streaming)': [7, 14, '0.03750140'],
  'iTunes Match': [2, 2, '0.00122939'],
  NetEase: [2, 2, '0.00071886'],
}

const BY_MONTH = {
  '2024-08': [12, 135, '0.58968701'],
  '2024-09': [154, 12628, '53.32606280'],
  '2024-10': [605, 48314, '164.51594335'],
  '2024-11': [787, 67060, '204.43210433'],
  '2024-12': [892, 70604, '209.13068840'],
  '2025-01': [1551, 117278, '277.08662850'],
  '2025-02': [534, 6647, '34.96858616'],
}

/** The ledger straight from the warehouse: totals, per store and per sale month (rows, Σ Quantity, Σ Earnings). */
async function ledgerFigures(env: Record<string, string>) {
  const wh = await openWarehouse(path.join(env.BEDROT_DATA_DIR, 'warehouse.sqlite'))
  try {
    const group = (col: string) =>
      Object.fromEntries(
        (wh.sqlite.prepare(`select ${col} k, count(*) n, sum(quantity) q, sum(earnings_e8) e8 from revenue_lines group by ${col}`).all() as any[]).map((r) => [
          r.k,
          [r.n, r.q, formatE8(r.e8)],
        ]),
      )
    const t = wh.sqlite.prepare('select count(*) n, sum(quantity) q, sum(earnings_e8) e8 from revenue_lines').get() as any
    return { total: [t.n, t.q, formatE8(t.e8)], byStore: group('store'), byMonth: group('sale_month') }
  } finally {
    await wh.close()
  }
}

/** The real ledger as DistroKid might re-serve it: 15 columns, `100.00`, re-cased titles, amounts without trailing zeros. */
function drifted(real: string): string {
  const [, ...rows] = real.split('\r').filter(Boolean)
  const out = rows.map((r, i) => {
    const f = r.split('\t')
    const money = (v: string) => v.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
    const title = i % 2 ? f[4].toLowerCase() : f[4]
    return [`${f[0]} 09:00:00`, f[0], f[1], f[2], f[3], title, f[5], f[6], f[7], '100.00', 'Song', f[10], f[11], money(f[12]), '0.00000000'].join('\t')
  })
  return [LEDGER_HEADER_15.join('\t'), ...out].join('\r') + '\r'
}

describe.skipIf(skipReal)('DistroKid real fixtures through import → pipeline → KPI', () => {
  let env: Record<string, string>
  let pages: string[]

  beforeAll(async () => {
    env = envFor(await tempDir('dk-real-'))
    pages = (await readdir(DK)).filter((n) => n.endsWith('.html')).map((n) => path.join(DK, n))
    // Untimed pages take their extraction time from their newest day (never "now", never a flag), so
    // the oldest page cannot overwrite later restatements. The saved sign-in page has no day at all:
    // it is refused at import with the reason, and nothing lands.
    const untimed = pages.filter((p) => !/\d{8}_\d{6}/.test(p))
    const timed = pages.filter((p) => /\d{8}_\d{6}/.test(p))
    const signin = untimed.filter((p) => p.endsWith('applemusic_stats.html'))
    const refused = await runCli('import', ['distrokid', ...signin], env)
    expect(refused.code, refused.stdout).toBe(1)
    expect(refused.stderr).toMatch(/cannot import .*applemusic_stats\.html into distrokid: this is DistroKid's sign-in page/)
    const first = await runCli('import', ['distrokid', ...untimed.filter((p) => !signin.includes(p))], env)
    expect(first.code, first.stderr).toBe(0)
    expect(lastJson(first.stdout).landed).toEqual([{ file: path.join(DK, 'streams_stats.html'), dataset: 'stats', extractedAt: '2025-05-20T23:59:59.000Z' }])
    // The ledger's name carries a date but no time: its time comes from its newest Reporting Date.
    const second = await runCli('import', ['distrokid', ...timed, LEDGER], env)
    expect(second.code, second.stderr).toBe(0)
    expect(lastJson(second.stdout).landed.at(-1).extractedAt).toBe('2025-03-30T23:59:59.000Z')
  }, 120_000)

  it('ledger: 4,535 lines, Σ earnings 944.04970055, Σ quantity 322,666', async () => {
    const r = await runCli('kpi', ['revenue-total', '--days', 'all'], env)
    expect(r.code, r.stderr).toBe(0)
    const k = lastJson(r.stdout)
    expect(k.exact).toBe('944.04970055')
    expect(k.value).toBe(944.04970055)
    expect(k.quantity).toBe(322666)
    expect(k.lines).toBe(4535)
  })

  it('ledger per store matches the README table', async () => {
    const k = lastJson((await runCli('kpi', ['revenue-by-store', '--days', 'all'], env)).stdout)
    const by = Object.fromEntries(k.breakdown.map((b: any) => [b.key, [b.lines, b.quantity, b.exact]]))
    expect(by).toEqual(BY_STORE)
  })

  it('daily streams: newest extract wins, never summed across files', async () => {
    const k = lastJson((await runCli('kpi', ['streams-by-platform', '--days', 'all'], env)).stdout)
    const by = Object.fromEntries(k.breakdown.map((b: any) => [b.key, [b.value, b.days]]))
    expect(by.spotify).toEqual([685757, 278])
    expect(by.apple).toEqual([20263, 265])
    const total = lastJson((await runCli('kpi', ['streams-total', '--from', '2025-05-20', '--to', '2025-05-28'], env)).stdout)
    const day = Object.fromEntries(total.series.map((p: any) => [p.date, p.value]))
    // Spot days (Spotify + Apple), README §2: revised Apple days take the newest value.
    expect(day['2025-05-21']).toBe(3292 + 91)
    expect(day['2025-05-25']).toBe(3395 + 58)
    expect(day['2025-05-26']).toBe(4222 + 43)
    expect(day['2025-05-28']).toBe(15)
  })

  it('re-running the chain and importing the same files again changes nothing', async () => {
    const lake = env.BEDROT_DATA_DIR
    const curated = [path.join(lake, '4_curated/tidy_daily_streams.csv'), path.join(lake, '4_curated/distrokid/dk_bank_details.csv')]
    const before = await Promise.all(curated.map(sha256File))
    const rerun = await runCli('pipeline', ['distrokid', '--skip-extract'], env)
    expect(rerun.code, rerun.stderr).toBe(0)
    const again = await runCli('import', ['distrokid', ...pages.filter((p) => /\d{8}_\d{6}/.test(p)), LEDGER], env)
    expect(again.code, again.stderr).toBe(0)
    expect(await Promise.all(curated.map(sha256File))).toEqual(before)
    const k = lastJson((await runCli('kpi', ['revenue-total', '--days', 'all'], env)).stdout)
    expect([k.lines, k.exact]).toEqual([4535, '944.04970055'])
    const csv = await readFile(curated[1], 'utf8')
    expect(csv.trim().split('\n')).toHaveLength(4536)
  })

  it('per sale month matches the README; a re-export with cosmetic drift in the 15-column layout leaves every figure', async () => {
    const before = await ledgerFigures(env)
    expect(before.total).toEqual([4535, 322666, '944.04970055'])
    expect(before.byMonth).toEqual(BY_MONTH)
    expect(before.byStore).toEqual(BY_STORE)
    const dir = await tempDir('dk-drift-')
    const file = path.join(dir, 'dk_bank_details_20250402_080000.tsv')
    await writeFile(file, drifted(await readFile(LEDGER, 'latin1')), 'latin1')
    const r = await runCli('import', ['distrokid', file], env)
    expect(r.code, r.stderr).toBe(0)
    expect(await ledgerFigures(env)).toEqual(before)
    const k = lastJson((await runCli('kpi', ['revenue-total', '--days', 'all'], env)).stdout)
    expect([k.lines, k.exact]).toEqual([4535, '944.04970055'])
  })
})
