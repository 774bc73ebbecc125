/**
 * Ledger exports are snapshots (WAREHOUSE.md "The ledger"): the newest export is authoritative for
 * its range of reporting dates, an older one supplies only the dates no newer export covers. Each case
 * works out the authoritative lines from its inputs and checks the warehouse holds exactly those
 * (count, Σ earnings to the 1e-8) and the curated file agrees.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ledgerLines, ledgerTsv, LEDGER_HEADER_15, type LedgerLineFields } from '../../functions/distrokid/fake-data.ts'
import { makeSystem } from '../helpers.ts'

type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System | null = null
afterEach(async () => {
  await sys?.close()
  sys = null
})

async function importExport(s: System, tsv: string, at: string, status = 'ok') {
  await s.services.lake.land('distrokid', 'bank', 'dk_bank_details.tsv', tsv, new Date(at))
  const report = await s.runner.run({ source: 'distrokid', skipExtract: true, trigger: 'cli' })
  expect(report.status, report.message).toBe(status)
  expect(report.steps.clean?.rowsQuarantined ?? 0, report.message).toBe(0)
  return report
}

function warehouse(s: System) {
  const db = s.services.wh.sqlite
  const t = db.prepare('select count(*) n, coalesce(sum(earnings_e8), 0) e8 from revenue_lines').get() as { n: number; e8: number }
  const ids = (db.prepare('select line_id from revenue_lines order by line_id').all() as { line_id: string }[]).map((r) => r.line_id)
  return { ...t, ids }
}

async function curatedRows(s: System): Promise<number> {
  const csv = await readFile(path.join(s.config.dataDir, '4_curated/distrokid/dk_bank_details.csv'), 'utf8')
  return csv.trim().split('\n').length - 1
}

const total = (lines: LedgerLineFields[]) => ({ n: lines.length, e8: lines.reduce((sum, l) => sum + l.earningsE8, 0) })
const range = (lines: LedgerLineFields[]) => [
  lines.map((l) => l.reportingDate).sort()[0],
  lines
    .map((l) => l.reportingDate)
    .sort()
    .at(-1)!,
]
/** The authoritative lines of exports given oldest first, by the rule stated in WAREHOUSE.md. */
function authoritative(exportsOldestFirst: LedgerLineFields[][]): LedgerLineFields[] {
  const kept: LedgerLineFields[] = []
  const ranges: string[][] = []
  for (const lines of [...exportsOldestFirst].reverse()) {
    kept.push(...lines.filter((l) => !ranges.some(([lo, hi]) => l.reportingDate >= lo && l.reportingDate <= hi)))
    ranges.push(range(lines))
  }
  return kept
}

/** The same lines as DistroKid might re-serve them: 15 columns, `100.00`, re-cased and re-spaced titles, other amount forms. */
function driftedTsv(lines: LedgerLineFields[]): string {
  const amount = (e8: number) => {
    const s = (Math.abs(e8) / 1e8).toFixed(8).replace(/0+$/, '').replace(/\.$/, '')
    return `${e8 < 0 ? '-' : '+'}${s}`
  }
  const rows = lines.map((l, i) =>
    [
      `${l.reportingDate} 10:00:00`,
      l.reportingDate,
      l.saleMonth,
      l.store,
      l.artist,
      i % 2 ? l.title.toLowerCase() : ` ${l.title.replace(/ /g, '  ')} `,
      l.isrc.toLowerCase(),
      `0${l.upc}`,
      `${l.quantity}.00`,
      '100.00',
      'Song',
      l.country.toLowerCase(),
      '0',
      amount(l.earningsE8),
      '0.00000000',
    ].join('\t'),
  )
  return [LEDGER_HEADER_15.join('\t'), ...rows].join('\r') + '\r'
}

// Sale months up to 2025-02, reported by 2025-02-28: every export below is extracted after that.
const base = () => [...ledgerLines(300, 21, { lastMonth: '2025-02' })]

describe('ledger exports are snapshots', () => {
  it('a later full export with cosmetic drift adds nothing and keeps every line identity', async () => {
    sys = await makeSystem()
    const lines = base()
    await importExport(sys, ledgerTsv(lines), '2025-04-01T00:00:00Z')
    const first = warehouse(sys)
    expect({ n: first.n, e8: first.e8 }).toEqual(total(lines))
    const report = await importExport(sys, driftedTsv(lines), '2025-05-01T00:00:00Z')
    const after = warehouse(sys)
    expect({ n: after.n, e8: after.e8 }).toEqual(total(lines))
    expect(after.ids).toEqual(first.ids)
    expect(await curatedRows(sys)).toBe(lines.length)
    // The drifted export is authoritative, so its text (title case, `100.00`, Date Inserted) replaces
    // the old text in place: every line updated under the same identity, none added or removed.
    expect(report.steps.load?.rowsOut).toBe(lines.length)
    expect(report.steps.load?.message).not.toContain('removed')
  })

  it('lines dropped upstream disappear from curated and the warehouse', async () => {
    sys = await makeSystem()
    const lines = base()
    const [lo, hi] = range(lines)
    // Drop lines strictly inside the range, so the later export still covers all of it.
    const dropped = new Set(lines.map((l, i) => (i % 23 === 5 && l.reportingDate > lo && l.reportingDate < hi ? i : -1)).filter((i) => i >= 0))
    expect(dropped.size).toBeGreaterThan(5)
    const later = lines.filter((_, i) => !dropped.has(i))
    await importExport(sys, ledgerTsv(lines), '2025-04-01T00:00:00Z')
    const report = await importExport(sys, ledgerTsv(later), '2025-05-01T00:00:00Z')
    const expected = total(authoritative([lines, later]))
    expect(expected).toEqual(total(later))
    const after = warehouse(sys)
    expect({ n: after.n, e8: after.e8 }).toEqual(expected)
    expect(await curatedRows(sys)).toBe(later.length)
    expect(report.steps.load?.message).toContain(`${dropped.size} ledger lines no longer in DistroKid's exports removed`)
  })

  it('restated amounts replace the old ones; only the restated lines are written', async () => {
    sys = await makeSystem()
    const lines = base()
    const restated = lines.map((l, i) => (i % 50 === 7 ? { ...l, earningsE8: l.earningsE8 + 123_456 } : l))
    const changed = lines.filter((_, i) => i % 50 === 7).length
    await importExport(sys, ledgerTsv(lines), '2025-04-01T00:00:00Z')
    const report = await importExport(sys, ledgerTsv(restated), '2025-05-01T00:00:00Z')
    const after = warehouse(sys)
    expect({ n: after.n, e8: after.e8 }).toEqual(total(restated))
    expect(after.e8 - total(lines).e8).toBe(changed * 123_456)
    // A restated line has a new identity: it is inserted and its old version removed, nothing else written.
    expect(report.steps.load?.rowsOut).toBe(2 * changed)
  })

  it('a later export covering only part of the range replaces that part; the older export keeps the rest', async () => {
    sys = await makeSystem()
    const lines = base()
    const dates = [...new Set(lines.map((l) => l.reportingDate))].sort()
    const cut = dates[Math.floor(dates.length / 2)]
    // The later export covers cut… only, and restates one of those lines and drops another.
    const recent = lines.filter((l) => l.reportingDate >= cut)
    const later = recent.map((l, i) => (i === 3 ? { ...l, earningsE8: l.earningsE8 * 2 } : l)).filter((_, i) => i !== 4 || recent[4].reportingDate === cut)
    await importExport(sys, ledgerTsv(lines), '2025-04-01T00:00:00Z')
    await importExport(sys, ledgerTsv(later), '2025-05-01T00:00:00Z')
    const expected = total(authoritative([lines, later]))
    const [lo, hi] = range(later)
    expect(expected).toEqual(total([...lines.filter((l) => l.reportingDate < lo || l.reportingDate > hi), ...later]))
    const after = warehouse(sys)
    expect({ n: after.n, e8: after.e8 }).toEqual(expected)
    expect(await curatedRows(sys)).toBe(expected.n)
  })

  it('the same export twice (under two extraction times) counts once', async () => {
    sys = await makeSystem()
    const lines = base()
    await importExport(sys, ledgerTsv(lines), '2025-04-01T00:00:00Z')
    const first = warehouse(sys)
    // The same bytes under another extraction time are the same export: the hash ledger skips them.
    await importExport(sys, ledgerTsv(lines), '2025-04-02T00:00:00Z', 'skipped')
    // The same lines re-serialised (another layout) are a new export covering the same dates: nothing changes.
    await importExport(sys, ledgerTsv(lines, 15), '2025-04-03T00:00:00Z')
    const after = warehouse(sys)
    expect({ n: after.n, e8: after.e8 }).toEqual(total(lines))
    expect(after.ids).toEqual(first.ids)
  })

  it('an older export imported after a newer one supplies only what the newer does not cover', async () => {
    const lines = base()
    const dates = [...new Set(lines.map((l) => l.reportingDate))].sort()
    const cut = dates[Math.floor(dates.length / 3)]
    const newer = lines.filter((l) => l.reportingDate >= cut).map((l, i) => (i % 10 === 0 ? { ...l, earningsE8: l.earningsE8 + 1 } : l))
    const older = lines
    const expected = total(authoritative([older, newer]))
    const results = []
    for (const order of [
      ['older', 'newer'],
      ['newer', 'older'],
    ]) {
      sys = await makeSystem()
      for (const which of order) {
        await importExport(sys, ledgerTsv(which === 'older' ? older : newer), which === 'older' ? '2025-04-01T00:00:00Z' : '2025-05-01T00:00:00Z')
      }
      const w = warehouse(sys)
      expect({ n: w.n, e8: w.e8 }).toEqual(expected)
      results.push(w.ids)
      await sys.close()
      sys = null
    }
    expect(results[1]).toEqual(results[0])
  })
})
