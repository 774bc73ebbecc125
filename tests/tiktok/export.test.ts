/**
 * Studio exports other than the real one, built the way TikTok builds them (functions/tiktok/fake-data.ts):
 * a window across another year boundary and a leap day, restated days in a newer download, the same CSV
 * in a ZIP with other bytes, a short 7-day export, and names that do not say whose export it is.
 */
import { readFile } from 'node:fs/promises'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { strToU8, zipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { importFiles } from '../../lib/importer.ts'
import { exportWindow, overviewCsv, overviewZip } from '../../functions/tiktok/fake-data.ts'
import { labelMatches, parseOverviewCsv, parseOverviewName } from '../../functions/tiktok/overview.ts'
import { makeSystem } from '../helpers.ts'

let sys: Awaited<ReturnType<typeof makeSystem>>
beforeEach(async () => {
  sys = await makeSystem()
})
afterEach(async () => sys.close())

const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000)
const put = async (name: string, bytes: Uint8Array) => {
  const file = path.join(sys.dir, name)
  await writeFile(file, bytes)
  return file
}
const ingest = async (...files: string[]) => {
  await importFiles(
    sys.services,
    sys.runner.registry,
    'tiktok',
    files.map((f) => ({ name: f, path: f })),
    { extractedAt: new Date('2026-01-01T00:00:00Z') },
  )
  return sys.runner.run({ source: 'tiktok', trigger: 'cli', skipExtract: true })
}
const rows = (account: string) =>
  sys.services.wh.db.selectFrom('social_daily').selectAll().where('platform', '=', 'tiktok').where('account', '=', account).orderBy('date').execute()

describe('Overview export names and labels', () => {
  it('reads window start, download time and account (with a dot) from the name, with or without the lake prefix', () => {
    expect(parseOverviewName('Overview_2024-05-28_1748345895_zone.a0.zip')).toEqual({
      windowStart: '2024-05-28',
      downloadedAt: '2025-05-27T11:38:15.000Z',
      account: 'zone.a0',
    })
    expect(parseOverviewName('20250527_113815_Overview_2024-06-17_1750084991_pig1987~2.zip')?.account).toBe('pig1987')
    expect(parseOverviewName('Overview_2024-06-17_1750084991.zip')).toBeNull()
    expect(parseOverviewName('Overview_2024-02-30_1750084991_pig1987.zip')).toBeNull()
  })

  it('matches year-less and ISO labels to their computed date only', () => {
    expect(labelMatches('May 28', '2024-05-28')).toBe(true)
    expect(labelMatches('February 29', '2024-02-29')).toBe(true)
    expect(labelMatches('December 31', '2025-01-01')).toBe(false)
    expect(labelMatches('2025-01-01', '2025-01-01')).toBe(true)
    expect(labelMatches('Smarch 1', '2025-03-01')).toBe(false)
  })

  it('refuses a file with a missing day (every later label shifts) and one without the columns', () => {
    const days = exportWindow('pig1987', '2025-03-01', 30, 500, 0)
    const gap = [...days.slice(0, 10), ...days.slice(11)]
    expect(() => parseOverviewCsv(overviewCsv(gap), days[0].date, '2025-03-01T10:00:00Z')).toThrow(/row 12: Date "February 11" is not 2025-02-10/)
    expect(() => parseOverviewCsv('\uFEFF"Date","Views"\n"May 1","3"', '2025-05-01', '2025-05-02T00:00:00Z')).toThrow(/lacks "Video Views"/)
  })
})

describe('Other exports through import → clean → load', () => {
  it('a window from 2023-03-02 across 2023→2024 and the leap day 2024-02-29, for pig1987', async () => {
    const days = exportWindow('pig1987', '2024-02-29', 365, 700, 0)
    expect(days[0].date).toBe('2023-03-02')
    const report = await ingest(await put(`Overview_2023-03-02_${epoch('2024-02-29T20:00:00Z')}_pig1987.zip`, overviewZip(days)))
    expect(report.status, report.message).toBe('ok')
    const r = await rows('pig1987')
    expect(r.map((x) => x.date)).toEqual(days.map((d) => d.date))
    expect(r.find((x) => x.date === '2024-02-29')!.views).toBe(days.at(-1)!.views)
    expect(r.reduce((s, x) => s + x.views!, 0)).toBe(days.reduce((s, d) => s + d.views, 0))
    expect(r.every((x) => x.artist === 'PIG1987')).toBe(true)
  })

  it('a newer download restates days: the newer one wins by its own download time, whatever the import order; no day doubles', async () => {
    const older = exportWindow('zone.a0', '2025-01-10', 28, 3000, 0)
    const newer = exportWindow('zone.a0', '2025-01-11', 28, 3000, 1)
    const fNewer = await put(`Overview_2024-12-15_${epoch('2025-01-11T08:00:00Z')}_zone.a0.zip`, overviewZip(newer))
    const fOlder = await put(`Overview_2024-12-14_${epoch('2025-01-10T08:00:00Z')}_zone.a0.zip`, overviewZip(older))
    expect((await ingest(fNewer)).status).toBe('ok')
    expect((await ingest(fOlder)).status).toBe('ok')
    const r = await rows('zone.a0')
    expect(r.map((x) => x.date)).toEqual([older[0].date, ...newer.map((d) => d.date)])
    for (const d of newer) expect(r.find((x) => x.date === d.date)!.views).toBe(d.views)
    expect(newer.filter((d, i) => older[i + 1] && older[i + 1].views !== d.views).length).toBeGreaterThan(0)
  })

  it('the same CSV in a ZIP with other bytes loads the same rows (no dedupe by ZIP hash, nothing doubles)', async () => {
    const days = exportWindow('zone.a0', '2025-06-30', 7, 3000, 0)
    const a = overviewZip(days, new Date('2025-06-30T10:00:00Z'))
    const b = zipSync({ 'Overview.csv': [strToU8(overviewCsv(days)), { level: 6, mtime: new Date('2025-07-02T10:00:00Z') }] })
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false)
    await ingest(await put(`Overview_2025-06-24_${epoch('2025-06-30T10:00:00Z')}_zone.a0.zip`, a))
    const first = await rows('zone.a0')
    const report = await ingest(await put(`Overview_2025-06-24_${epoch('2025-06-30T10:00:05Z')}_zone.a0.zip`, b))
    expect(report.steps.clean!.filesIn).toBe(1)
    expect((await rows('zone.a0')).map((x) => [x.date, x.views])).toEqual(first.map((x) => [x.date, x.views]))
  })

  it('an export named without its account is refused and kept in landing; an HTML page is not imported at all', async () => {
    const file = await put(`Overview_2025-06-24_${epoch('2025-06-30T10:00:00Z')}.zip`, overviewZip(exportWindow('zone.a0', '2025-06-30', 7, 3000, 0)))
    const report = await ingest(file)
    expect(report.steps.clean!.message).toMatch(/refused .*: not named like a Studio export .* the account cannot be told .*kept in landing/)
    expect(await sys.services.lake.list('landing', 'tiktok', 'overview')).toHaveLength(1)
    const html = await put('Overview_2025-06-24_1751277600_zone.a0.zip', strToU8('<html>login</html>'))
    await expect(ingest(html)).rejects.toThrow(/matches no known export/)
    expect((await readFile(html)).length).toBeGreaterThan(0)
  })
})
