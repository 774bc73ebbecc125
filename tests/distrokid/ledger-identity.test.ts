/**
 * The ledger line identity: repeated lines that share date, month, store, ISRC and country all stay;
 * a re-export of the same ledger — in the same or the newer 15-column layout — adds no line twice;
 * lines only an older export carries are kept.
 */
import { readdir, readFile } from 'node:fs/promises'
import { readCsv } from '../../lib/lake/lines.ts'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { indexHeader, LedgerReader } from '../../functions/distrokid/ledger.ts'
import { ledgerLines, ledgerRecord, ledgerTsv, LEDGER_HEADER_13, LEDGER_HEADER_15, sumE8 } from '../../functions/distrokid/fake-data.ts'
import { makeSystem, REAL, skipReal } from '../helpers.ts'

type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System | null = null
afterEach(async () => {
  await sys?.close()
  sys = null
})

async function land(s: System, tsv: string, at: string) {
  await s.services.lake.land('distrokid', 'bank', 'dk_bank_details.tsv', tsv, new Date(at))
  const report = await s.runner.run({ source: 'distrokid', skipExtract: true, trigger: 'cli' })
  expect(report.status, report.message).toBe('ok')
  return s.services.wh.sqlite.prepare('select count(*) n, sum(earnings_e8) e8 from revenue_lines').get() as { n: number; e8: number }
}

describe('ledger line identity', () => {
  it('is the same in both layouts and distinct for identical lines within one export', () => {
    const [line] = [...ledgerLines(1, 4)]
    const old = new LedgerReader(indexHeader(LEDGER_HEADER_13.join('\t')))
    const neu = new LedgerReader(indexHeader(LEDGER_HEADER_15.join('\t')))
    const a = old.read(ledgerRecord(line, 13).split('\t'))
    const b = neu.read(ledgerRecord(line, 15).split('\t'))
    const twin = old.read(ledgerRecord(line, 13).split('\t'))
    if (typeof a === 'string' || typeof b === 'string' || typeof twin === 'string') throw new Error('unreadable line')
    expect(b.line_id).toBe(a.line_id)
    expect(twin.line_id).toBe(`${a.line_id}.2`)
  })

  it('keeps reversal pairs and exact duplicates, and a newer export in the other layout adds only its new lines', async () => {
    sys = await makeSystem()
    const lines = [...ledgerLines(200, 5, { lastMonth: '2025-02' })]
    lines.push({ ...lines[10] }) // an exact duplicate line: a real repeated payment, kept twice
    const first = await land(sys, ledgerTsv(lines, 13), '2025-04-01T00:00:00Z')
    expect(first.n).toBe(201)
    const more = [...lines, ...[...ledgerLines(20, 77, { lastMonth: '2025-02' })]]
    const second = await land(sys, ledgerTsv(more, 15), '2025-05-01T00:00:00Z')
    expect(second.n).toBe(221)
    const exact = sys.services.wh.sqlite.prepare('select sum(earnings_e8) e8 from revenue_lines').get() as { e8: number }
    expect(exact.e8).toBe(more.reduce((s, l) => s + l.earningsE8, 0))
    expect(sumE8(more)).toMatch(/^\d+\.\d{8}$/)
  })

  it('an older export keeps only the reporting dates the newer one does not cover (exports are snapshots)', async () => {
    sys = await makeSystem()
    const lines = [...ledgerLines(100, 6, { lastMonth: '2025-02' })].sort((a, b) =>
      a.reportingDate < b.reportingDate ? -1 : a.reportingDate > b.reportingDate ? 1 : 0,
    )
    const older = lines.slice(0, 60)
    const newer = lines.slice(40)
    await land(sys, ledgerTsv(older, 13), '2025-04-01T00:00:00Z')
    const after = await land(sys, ledgerTsv(newer, 13), '2025-05-01T00:00:00Z')
    // Sorted by date, the newer export covers lines 40… and the older supplies the dates before them.
    const from = newer[0].reportingDate
    const expected = [...older.filter((l) => l.reportingDate < from), ...newer]
    expect(after).toEqual({ n: expected.length, e8: expected.reduce((s, l) => s + l.earningsE8, 0) })
  })

  it('titles with quotes, commas, backslashes and newlines survive raw JSON, staging and curated CSV and the warehouse', async () => {
    sys = await makeSystem()
    const titles = ['HOLD "ON", I', 'back\\slash', 'two\nlines, "quoted"', 'plain']
    const lines = [...ledgerLines(4, 8, { lastMonth: '2025-02' })].map((l, i) => ({ ...l, title: titles[i] }))
    // DistroKid ends records with a bare CR, so an LF inside a field is part of the field.
    await land(sys, ledgerTsv(lines, 13), '2025-04-01T00:00:00Z')
    const rawDir = path.join(sys.config.dataDir, '2_raw/distrokid/bank')
    const [rawFile] = await readdir(rawDir)
    const raw = (await readFile(path.join(rawDir, rawFile), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(raw.map((r) => r.Title)).toEqual(titles)
    expect(raw[0]._landing_file).toBe('20250401_000000_dk_bank_details.tsv')
    const curated = path.join(sys.config.dataDir, '4_curated/distrokid/dk_bank_details.csv')
    const read = async () => {
      const out: string[] = []
      for await (const r of readCsv(curated)) out.push(r.Title)
      return out
    }
    expect(await read()).toEqual(titles)
    const fromWarehouse = () =>
      sys!.services.wh.sqlite
        .prepare('select title from revenue_lines order by title')
        .all()
        .map((r: any) => r.title)
    expect(fromWarehouse()).toEqual([...titles].sort())
    // A second export makes curation merge staging files (parse and re-write each row): still intact.
    await land(sys, ledgerTsv(lines, 15), '2025-04-02T00:00:00Z')
    expect(await read()).toEqual(titles)
    expect(fromWarehouse()).toEqual([...titles].sort())
  })

  it.skipIf(skipReal)('the real ledger re-exported in the 15-column layout adds nothing', async () => {
    sys = await makeSystem()
    const real = await readFile(path.join(REAL, 'distrokid/derived/dk_bank_details_asof_20250331_DERIVED.tsv'), 'latin1')
    const first = await land(sys, real, '2025-03-31T12:00:00Z')
    expect(first.n).toBe(4535)
    const [, ...rows] = real.split('\r').filter(Boolean)
    const as15 = rows.map((r) => {
      const f = r.split('\t')
      return [`${f[0]} 09:00:00`, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], 'Song', f[10], f[11], f[12], '0.00000000'].join('\t')
    })
    const second = await land(sys, [LEDGER_HEADER_15.join('\t'), ...as15].join('\r') + '\r', '2025-04-02T12:00:00Z')
    expect(second).toEqual({ n: 4535, e8: 94404970055 })
    const csv = path.join(sys.config.dataDir, '4_curated/distrokid/dk_bank_details.csv')
    expect((await readFile(csv, 'utf8')).trim().split('\n')).toHaveLength(4536)
  })
})
