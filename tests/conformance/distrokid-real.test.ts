/**
 * Conformance on the real DistroKid files (read in place from REAL_FIXTURES_DIR), through the real CLI
 * path: import → pipeline → KPI. Figures from ../shared/fixtures/real/README.md §1–2.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envFor, lastJson, REAL, runCli, skipReal, tempDir } from '../helpers.ts'
import { sha256File } from '../../lib/lake/hash.ts'

const DK = path.join(REAL, 'distrokid')
const LEDGER = path.join(DK, 'derived/dk_bank_details_asof_20250331_DERIVED.tsv')

describe.skipIf(skipReal)('DistroKid real fixtures through import → pipeline → KPI', () => {
  let env: Record<string, string>
  let pages: string[]

  beforeAll(async () => {
    env = envFor(await tempDir('dk-real-'))
    pages = (await readdir(DK)).filter((n) => n.endsWith('.html')).map((n) => path.join(DK, n))
    // Untimestamped pages come from the earliest run: give them an old extraction time.
    const untimed = pages.filter((p) => !/\d{8}_\d{6}/.test(p))
    const timed = pages.filter((p) => /\d{8}_\d{6}/.test(p))
    const first = await runCli('import', ['distrokid', ...untimed, '--extracted-at', '2025-05-01T00:00:00Z'], env)
    expect(first.code, first.stderr).toBe(1) // the saved sign-in page is refused
    expect(lastJson(first.stdout).run.message).toMatch(/applemusic_stats\.html: this is DistroKid's sign-in page/)
    const second = await runCli('import', ['distrokid', ...timed, LEDGER], env)
    // A refused file is recorded once; later runs do not report it again.
    expect(second.code, second.stderr).toBe(0)
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
    expect(by).toEqual({
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
    })
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
})
