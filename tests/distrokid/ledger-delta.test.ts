/**
 * A new full ledger export is promoted taking the lines it repeats as staged (ledger-reuse.ts) and
 * loaded as a delta of the last load (ledger-delta.ts). Each case runs the same exports through two
 * systems, one with those shortcuts and one without (the full path), and requires the same staging and
 * curated files byte for byte and the same warehouse (every fact column; run ids compared by the run
 * that wrote them). The cases also check the shortcuts were taken, so a broken shortcut cannot hide
 * behind the full path.
 */
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { LEDGER_HEADER_13, ledgerLines, ledgerRecord, ledgerTsv, type LedgerLineFields } from '../../functions/distrokid/fake-data.ts'
import { deltaPaths, ledgerShortcuts } from '../../functions/distrokid/ledger-delta.ts'
import { makeSystem } from '../helpers.ts'
import { zoneChecksums } from '../runner/lake-fixture.ts'

type System = Awaited<ReturnType<typeof makeSystem>>
const systems: System[] = []
let verify = false
afterEach(async () => {
  verify = false
  ledgerShortcuts.enabled = true
  ledgerShortcuts.verify = true
  for (const s of systems.splice(0)) await s.close()
})

interface Sys {
  s: System
  shortcuts: boolean
  runs: string[]
}

async function system(shortcuts: boolean): Promise<Sys> {
  const s = await makeSystem({ LOG_LEVEL: 'silent' })
  systems.push(s)
  return { s, shortcuts, runs: [] }
}

async function run(x: Sys, opts: { rebuild?: boolean } = {}) {
  ledgerShortcuts.enabled = x.shortcuts
  // Lines taken as staged are not re-parsed to check them: what is compared is the shortcut itself.
  ledgerShortcuts.verify = verify
  try {
    const report = await x.s.runner.run({ source: 'distrokid', skipExtract: true, trigger: opts.rebuild ? 'rebuild' : 'cli', rebuild: opts.rebuild })
    x.runs.push(report.runId)
    return report
  } finally {
    ledgerShortcuts.enabled = true
    ledgerShortcuts.verify = true
  }
}

async function importExport(x: Sys, tsv: string, at: string) {
  await x.s.services.lake.land('distrokid', 'bank', 'dk_bank_details.tsv', tsv, new Date(at))
  const report = await run(x)
  expect(report.status, report.message).toBe('ok')
  return report
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')

/** Everything the two paths must agree on. */
async function state(x: Sys) {
  const dataDir = x.s.config.dataDir
  const curated = sha(await readFile(path.join(dataDir, '4_curated/distrokid/dk_bank_details.csv')))
  const staging = await zoneChecksums(dataDir, '3_staging')
  // Raw records carry the run that promoted them: compared by which of the system's runs it was.
  const raw: Record<string, string> = {}
  const rawDir = path.join(dataDir, '2_raw/distrokid/bank')
  for (const name of (await readdir(rawDir)).filter((n) => n.endsWith('.ndjson')).sort()) {
    const text = await readFile(path.join(rawDir, name), 'utf8')
    raw[name] = sha(text.replace(/"_run_id":"([^"]*)"/g, (_, id: string) => `"_run_id":${x.runs.indexOf(id)}`))
  }
  const db = new Database(x.s.config.warehouseFile, { readonly: true })
  try {
    const cols = (db.prepare('PRAGMA table_info(revenue_lines)').all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'id')
    const rows = db.prepare(`SELECT ${cols.join(', ')} FROM revenue_lines ORDER BY line_id`).all() as Record<string, unknown>[]
    // Run ids differ between systems: compared by which of the system's runs wrote the row.
    for (const r of rows) r.run_id = x.runs.indexOf(r.run_id as string)
    const e8 = rows.reduce((sum, r) => sum + (r.earnings_e8 as number), 0)
    return { curated, staging, raw, rows: rows.length, e8, warehouse: sha(JSON.stringify(rows)), table: rows }
  } finally {
    db.close()
  }
}

async function expectSame(fast: Sys, full: Sys) {
  const a = await state(fast)
  const b = await state(full)
  expect(a.curated).toBe(b.curated)
  expect(a.staging).toEqual(b.staging)
  expect(a.raw).toEqual(b.raw)
  expect({ rows: a.rows, e8: a.e8 }).toEqual({ rows: b.rows, e8: b.e8 })
  if (a.warehouse !== b.warehouse) expect(a.table).toEqual(b.table)
  return a
}

/** Runs the exports (oldest extraction first, in the order given) through both paths; returns both systems. */
async function both(exports: { tsv: string; at: string }[]) {
  const fast = await system(true)
  const full = await system(false)
  const reports = []
  for (const e of exports) {
    reports.push(await importExport(fast, e.tsv, e.at))
    await importExport(full, e.tsv, e.at)
  }
  return { fast, full, reports }
}

// Sale months up to 2025-02, reported by 2025-02-28: every export below is extracted after that.
const base = (n = 600, seed = 33) => [...ledgerLines(n, seed, { lastMonth: '2025-02' })]
const APR = '2025-04-01T00:00:00Z'
const MAY = '2025-05-01T00:00:00Z'
const JUN = '2025-06-01T00:00:00Z'

function counters() {
  const before = { ...ledgerShortcuts }
  return () => ({ reused: ledgerShortcuts.reusedLines - before.reusedLines, deltas: ledgerShortcuts.deltasApplied - before.deltasApplied })
}

describe('a new ledger export through the shortcuts equals the full path', () => {
  it('restated amounts and re-cased titles: only those lines are parsed and written', async () => {
    // Titles CSV and JSON must quote or escape, in lines that are repeated and in lines that change.
    const odd = ['Say "Hi", Again', 'Two\nLines', 'Back\\slash, "and" comma']
    const lines = base().map((l, i) => (i % 45 === 2 ? { ...l, title: odd[Math.floor(i / 45) % odd.length] } : l))
    // A restated amount is a new identity; a re-cased title keeps its identity and changes the row.
    const later = lines.map((l, i) =>
      i % 40 === 3
        ? { ...l, earningsE8: l.earningsE8 + 1234 }
        : i % 40 === 9
          ? { ...l, title: l.title.toLowerCase() }
          : i === 2
            ? { ...l, title: 'Say "HI", again' }
            : l,
    )
    const used = counters()
    const { fast, full, reports } = await both([
      { tsv: ledgerTsv(lines), at: APR },
      { tsv: ledgerTsv(later), at: MAY },
    ])
    const changed = lines.filter((_, i) => i % 40 === 3).length
    const recased = lines.filter((l, i) => (i % 40 === 9 && l.title !== l.title.toLowerCase()) || i === 2).length
    expect(recased).toBeGreaterThan(5)
    expect(used().deltas).toBe(1)
    // Every repeated line was taken as staged.
    expect(used().reused).toBe(lines.length - changed - recased)
    expect(reports[1].steps.load?.rowsOut).toBe(2 * changed + recased)
    expect(reports[1].steps.load?.message).toContain('as a delta')
    const s = await expectSame(fast, full)
    expect(s.e8).toBe(later.reduce((sum, l) => sum + l.earningsE8, 0))
  })

  it('removed and added lines, anywhere in the file, in another order too', async () => {
    const lines = base()
    const extra = base(40, 99).map((l) => ({ ...l, reportingDate: l.reportingDate < '2024-04-01' ? '2024-04-01' : l.reportingDate }))
    // Drop every 17th line, insert new ones at the start, the middle and the end, and swap two blocks.
    const kept = lines.filter((_, i) => i % 17 !== 5)
    const mid = Math.floor(kept.length / 2)
    const later = [
      ...extra.slice(0, 10),
      ...kept.slice(mid, mid + 100),
      ...kept.slice(0, mid),
      ...extra.slice(10, 30),
      ...kept.slice(mid + 100),
      ...extra.slice(30),
    ]
    const lo = lines.map((l) => l.reportingDate).sort()[0]
    const hi = lines
      .map((l) => l.reportingDate)
      .sort()
      .at(-1)!
    const used = counters()
    const { fast, full } = await both([
      { tsv: ledgerTsv(lines), at: APR },
      { tsv: ledgerTsv(later.map((l) => ({ ...l, reportingDate: l.reportingDate < lo ? lo : l.reportingDate > hi ? hi : l.reportingDate }))), at: MAY },
    ])
    expect(used().deltas).toBe(1)
    expect(used().reused).toBeGreaterThan(kept.length / 2)
    const s = await expectSame(fast, full)
    expect(s.rows).toBe(later.length)
  })

  it('a changed line renumbers the identical lines after it (occurrence numbers)', async () => {
    const lines = base(300)
    const twin = lines[10]
    // Four identical lines (same meaning: same identity base, occurrences 1–4) spread over the export.
    const exp1 = [...lines.slice(0, 50), twin, ...lines.slice(50, 120), twin, ...lines.slice(120, 200), twin, ...lines.slice(200)]
    // Later: the first of them restated (the rest move up one occurrence), and one more added at the end.
    const exp2 = exp1.map((l, i) => (i === 10 ? { ...l, earningsE8: l.earningsE8 + 5 } : l))
    exp2.push(twin)
    const used = counters()
    const { fast, full } = await both([
      { tsv: ledgerTsv(exp1), at: APR },
      { tsv: ledgerTsv(exp2), at: MAY },
    ])
    expect(used().deltas).toBe(1)
    // All but the restated line and the added one (its twins were all passed by then) taken as staged.
    expect(used().reused).toBe(exp2.length - 2)
    const s = await expectSame(fast, full)
    const ids = s.table.map((r) => r.line_id as string)
    const twins = ids.filter((id) => /\.\d+$/.test(id))
    expect(twins.length).toBeGreaterThanOrEqual(3)
    expect(s.rows).toBe(exp2.length)
  })

  it('a new export covering another range of dates: the older export keeps what it alone covers', async () => {
    const lines = base()
    const dates = [...new Set(lines.map((l) => l.reportingDate))].sort()
    const cut = dates[Math.floor(dates.length / 2)]
    const recent = lines.filter((l) => l.reportingDate >= cut).map((l, i) => (i % 9 === 0 ? { ...l, earningsE8: l.earningsE8 * 2 } : l))
    const older = lines.filter((l) => l.reportingDate < dates[Math.floor(dates.length / 4)])
    const used = counters()
    const { fast, full } = await both([
      { tsv: ledgerTsv(lines), at: APR },
      { tsv: ledgerTsv(recent), at: MAY },
      { tsv: ledgerTsv(older), at: JUN },
    ])
    expect(used().deltas).toBe(2)
    expect(used().reused).toBe(recent.filter((_, i) => i % 9 !== 0).length)
    const s = await expectSame(fast, full)
    expect(s.rows).toBe(lines.filter((l) => l.reportingDate < cut).length + recent.length)
  })

  it('the other layout, then back: another header is parsed line by line and loaded whole, same result', async () => {
    const lines = base()
    const later = lines.map((l, i) => (i % 30 === 0 ? { ...l, earningsE8: l.earningsE8 + 1 } : l))
    const used = counters()
    const { fast, full } = await both([
      { tsv: ledgerTsv(lines), at: APR },
      { tsv: ledgerTsv(later, 15), at: MAY },
      { tsv: ledgerTsv(later.slice(5)), at: JUN },
    ])
    // Every line's text changes with the layout (Date Inserted, Recoup): no delta is worth writing.
    expect(used()).toEqual({ reused: 0, deltas: 0 })
    await expectSame(fast, full)
  })

  it('a rebuild after a delta gives the same lake and warehouse as a rebuild after the full path', async () => {
    const lines = base()
    const later = lines.filter((_, i) => i % 11 !== 1).map((l, i) => (i % 25 === 0 ? { ...l, earningsE8: l.earningsE8 - 7 } : l))
    const { fast, full } = await both([
      { tsv: ledgerTsv(lines), at: APR },
      { tsv: ledgerTsv(later), at: MAY },
    ])
    const beforeRebuild = await expectSame(fast, full)
    const rebuilt = counters()
    for (const x of [fast, full]) expect((await run(x, { rebuild: true })).status).toBe('ok')
    // The rebuild re-promotes the second export taking its repeated lines as staged, and loads whole.
    expect(rebuilt().reused).toBe(later.length - later.filter((_, i) => i % 25 === 0).length)
    expect(rebuilt().deltas).toBe(0)
    const after = await expectSame(fast, full)
    expect(after.curated).toBe(beforeRebuild.curated)
    expect(after.staging).toEqual(beforeRebuild.staging)
    // And a new export after the rebuild takes the shortcuts again.
    const used = counters()
    const next = later.map((l, i) => (i % 50 === 2 ? { ...l, earningsE8: l.earningsE8 + 3 } : l))
    await importExport(fast, ledgerTsv(next), JUN)
    await importExport(full, ledgerTsv(next), JUN)
    expect(used().deltas).toBe(1)
    await expectSame(fast, full)
  })

  it('idempotent: running again, or landing the same export again, changes nothing', async () => {
    const lines = base()
    const later = lines.map((l, i) => (i % 20 === 4 ? { ...l, earningsE8: l.earningsE8 + 100 } : l))
    const used = counters()
    const { fast, full } = await both([
      { tsv: ledgerTsv(lines), at: APR },
      { tsv: ledgerTsv(later), at: MAY },
    ])
    expect(used().deltas).toBe(1)
    const once = await expectSame(fast, full)
    for (const x of [fast, full]) {
      expect((await run(x)).status).toBe('skipped')
      await x.s.services.lake.land('distrokid', 'bank', 'dk_bank_details.tsv', ledgerTsv(later), new Date(JUN))
      expect((await run(x)).status).toBe('skipped')
    }
    const twice = await expectSame(fast, full)
    expect(twice.warehouse).toBe(once.warehouse)
    expect(twice.curated).toBe(once.curated)
  })

  it('a stale delta (the warehouse did not load its starting file) is not applied', async () => {
    const lines = base()
    const fast = await system(true)
    const full = await system(false)
    for (const x of [fast, full]) await importExport(x, ledgerTsv(lines), APR)
    // The fast system's warehouse loses a line behind the loader's back: the delta's count check refuses it.
    fast.s.services.wh.sqlite.prepare('DELETE FROM revenue_lines WHERE rowid = (SELECT min(rowid) FROM revenue_lines)').run()
    full.s.services.wh.sqlite.prepare('DELETE FROM revenue_lines WHERE rowid = (SELECT min(rowid) FROM revenue_lines)').run()
    const later = lines.map((l, i) => (i % 40 === 3 ? { ...l, earningsE8: l.earningsE8 + 9 } : l))
    const used = counters()
    for (const x of [fast, full]) await importExport(x, ledgerTsv(later), MAY)
    expect(used().deltas).toBe(0)
    await expectSame(fast, full)
    const meta = JSON.parse(await readFile(deltaPaths(path.join(fast.s.config.dataDir, '4_curated/distrokid/dk_bank_details.csv')).meta, 'utf8'))
    expect(meta.upserts).toBeGreaterThan(0)
  })

  it('digests written by other code (another parser or alias table) are not used', async () => {
    const lines = base()
    const fast = await system(true)
    const full = await system(false)
    for (const x of [fast, full]) await importExport(x, ledgerTsv(lines), APR)
    const dir = path.join(fast.s.config.dataDir, '3_staging/distrokid/ledger')
    const { readdir: list, writeFile } = await import('node:fs/promises')
    const name = (await list(dir)).find((n) => n.endsWith('.records'))!
    const bytes = await readFile(path.join(dir, name))
    // Word 7 of the header: the digest of the code that wrote them.
    bytes.writeUInt32LE((bytes.readUInt32LE(28) + 1) >>> 0, 28)
    await writeFile(path.join(dir, name), bytes)
    const later = lines.map((l, i) => (i % 40 === 3 ? { ...l, earningsE8: l.earningsE8 + 9 } : l))
    const used = counters()
    for (const x of [fast, full]) await importExport(x, ledgerTsv(later), MAY)
    expect(used()).toEqual({ reused: 0, deltas: 1 })
    const a = await state(fast)
    const b = await state(full)
    expect({ ...a.staging, [`distrokid/ledger/${name}`]: '' }).toEqual({ ...b.staging, [`distrokid/ledger/${name}`]: '' })
    expect(a.raw).toEqual(b.raw)
    expect(a.warehouse).toBe(b.warehouse)
  })

  it('rows staged by older code are caught by the sampled check: the export is parsed line by line', async () => {
    verify = true
    const lines = base()
    const fast = await system(true)
    const full = await system(false)
    for (const x of [fast, full]) await importExport(x, ledgerTsv(lines), APR)
    // Tamper with the fast system's staged rows as older code might have written them: same size, other text.
    const dir = path.join(fast.s.config.dataDir, '3_staging/distrokid/ledger')
    const { writeFile } = await import('node:fs/promises')
    const name = (await readdir(dir)).find((n) => n.endsWith('.csv'))!
    const text = await readFile(path.join(dir, name), 'utf8')
    const row = text.split('\n')[1]
    const artist = row.split(',')[4]
    await writeFile(path.join(dir, name), text.replaceAll(`,${artist},`, `,${artist.toLowerCase()},`))
    const later = [...lines, ...base(5, 7)]
    const header = LEDGER_HEADER_13.join('\t')
    const tsv = [header, ...later.map((l: LedgerLineFields) => ledgerRecord(l, 13))].join('\r') + '\r'
    const used = counters()
    for (const x of [fast, full]) await importExport(x, tsv, MAY)
    expect(used().reused).toBe(0)
    const a = await state(fast)
    const b = await state(full)
    expect(a.staging[`distrokid/ledger/${name.replace('20250401', '20250501')}`]).toBeDefined()
    expect(a.staging).toEqual({ ...b.staging, [`distrokid/ledger/${name}`]: a.staging[`distrokid/ledger/${name}`] })
    expect(a.warehouse).toBe(b.warehouse)
  })
})
