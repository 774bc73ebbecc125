/**
 * Lake integrity helpers: whole-file checks (terminator, JSON, ZIP), partial copies never listed,
 * curated-input manifests, exact amounts in every CSV form, CSV that round-trips quotes and newlines.
 */
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { incompleteJson, incompleteZip, missingTerminator, terminatorOf } from '../../lib/lake/complete.ts'
import { Lake } from '../../lib/lake/lake.ts'
import { csvLine, readCsv, readCsvRows } from '../../lib/lake/lines.ts'
import { curatedIsCurrent, recordInputs } from '../../lib/lake/manifest.ts'
import { formatE8, parseE8 } from '../../lib/money.ts'
import { tempDir } from '../helpers.ts'

describe('whole-file checks', () => {
  it('a text export must end with the terminator its first line uses', async () => {
    const dir = await tempDir('complete-')
    const check = async (text: string) => {
      const f = path.join(dir, 'f.tsv')
      await writeFile(f, text)
      return missingTerminator(f, terminatorOf(text)!)
    }
    expect(await check('a\tb\r1\t2\r')).toBeNull()
    expect(await check('a\tb\r\n1\t2\r\n')).toBeNull()
    expect(await check('a\tb\n1\t2\n')).toBeNull()
    expect(await check('a\tb\r1\t2')).toBe('truncated: the file ends with "2", not with the final record terminator (CR); the download was cut short')
    expect(await check('a\tb\r\n1\t2\r')).toMatch(/ends with "\\r", not with the final record terminator \(CRLF\)/)
    expect(terminatorOf('no terminator at all')).toBeNull()
  })

  it('a JSON document is complete only when it parses whole', () => {
    const doc = JSON.stringify({ data: { series: [1, 2, 3] } })
    expect(incompleteJson(doc)).toBeNull()
    expect(incompleteJson(doc.slice(0, -2))).toMatch(/^truncated JSON: /)
    expect(incompleteJson('')).toBe('the file is empty, not a JSON document')
    expect(incompleteJson('<html>login</html>')).toMatch(/^not valid JSON: /)
  })

  it('a ZIP is complete only with its central directory', () => {
    const zip = zipSync({ 'Overview.csv': new TextEncoder().encode('"Date","Video Views"\n"May 27","6279"') })
    expect(incompleteZip(zip)).toBeNull()
    expect(incompleteZip(zip.subarray(0, zip.length - 10))).toMatch(/^truncated ZIP: /)
    expect(incompleteZip(zip.subarray(0, 40))).toMatch(/^truncated ZIP: /)
    expect(incompleteZip(new TextEncoder().encode('not a zip file at all, just text'))).toBe('not a ZIP file (no PK signature)')
  })
})

describe('landing never lists a partial copy', () => {
  it('landFile copies under a hidden temp name; stray temp files are not listed', async () => {
    const dir = await tempDir('lake-')
    const lake = new Lake(path.join(dir, 'lake'))
    const src = path.join(dir, 'download.tsv')
    await writeFile(src, 'Reporting Date\tEarnings (USD)\r')
    const landingDir = lake.dir('landing', 'distrokid', 'bank')
    await mkdir(landingDir, { recursive: true })
    // What an interrupted copy of the old code (and of other tools) leaves behind.
    await writeFile(path.join(landingDir, '20250601_000000_dk_bank_details.tsv.tmp'), 'Reporting Da')
    await writeFile(path.join(landingDir, '.20250601_000000_dk_bank_details.tsv.1a2b3c4d.tmp'), 'Reporting Da')
    const landed = await lake.landFile('distrokid', 'bank', 'dk_bank_details.tsv', src, new Date('2025-06-01T00:00:00Z'))
    expect((await lake.list('landing', 'distrokid')).map((f) => f.name)).toEqual([path.basename(landed)])
    expect(await readFile(landed, 'utf8')).toBe('Reporting Date\tEarnings (USD)\r')
  })
})

describe('curated-input manifests', () => {
  it('is current only for the same staging names, hashes and recipe', async () => {
    const dir = await tempDir('manifest-')
    const lake = new Lake(dir)
    const staging = lake.dir('staging', 'x', 'rows')
    await mkdir(staging, { recursive: true })
    const curated = lake.curatedPath('x', 'rows.csv')
    await mkdir(path.dirname(curated), { recursive: true })
    await writeFile(path.join(staging, '20250101_000000_a.csv'), 'a\n1\n')
    await writeFile(curated, 'a\n1\n')
    const files = () => lake.list('staging', 'x', 'rows')
    const first = await curatedIsCurrent(curated, await files(), 'v1')
    expect(first.current).toBe(false) // never recorded
    await recordInputs(curated, first.inputs)
    expect((await curatedIsCurrent(curated, await files(), 'v1')).current).toBe(true)
    expect((await curatedIsCurrent(curated, await files(), 'v2')).current).toBe(false)
    // Same size, new content, new mtime: re-hashed and seen as changed.
    const a = path.join(staging, '20250101_000000_a.csv')
    await writeFile(a, 'a\n2\n')
    await utimes(a, new Date(), new Date(Date.now() + 5000))
    expect((await curatedIsCurrent(curated, await files(), 'v1')).current).toBe(false)
    await writeFile(a, 'a\n1\n')
    await writeFile(path.join(staging, '20250102_000000_b.csv'), 'a\n3\n')
    expect((await curatedIsCurrent(curated, await files(), 'v1')).current).toBe(false)
  })
})

describe('exact amounts', () => {
  it.each([
    ['41.94876914', 4194876914],
    ['-0.00000000', 0],
    ['1.2E-5', 1200],
    ['+1', 100000000],
    ['.5', 50000000],
    ['5.', 500000000],
    ['-4.80662578', -480662578],
    ['1.5e2', 15000000000],
    [' 7 ', 700000000],
    ['0.000000010', 1],
    ['-.5e1', -500000000],
  ] as const)('%s → %i e-8', (text, units) => {
    expect(parseE8(text)).toBe(units)
    expect(parseE8(formatE8(units))).toBe(units)
  })

  it.each(['', '.', '+', 'abc', '1,234.5', '$5', 'NaN', 'Infinity', '1e-9', '0.123456789', '1e400', '12345678901234'])('%j is refused, never 0', (text) => {
    expect(parseE8(text)).toBeNull()
  })
})

describe('CSV through papaparse both ways', () => {
  it('fields with quotes, commas, newlines and edge spaces round-trip', async () => {
    const rows = [
      ['id', 'title', 'note'],
      ['1', 'HOLD "ON", I', 'line one\nline two'],
      ['2', ' padded ', 'cr\r\nlf'],
      ['3', 'plain', ''],
    ]
    const file = path.join(await tempDir('csv-'), 'x.csv')
    await writeFile(file, rows.map(csvLine).join(''))
    const back: string[][] = []
    for await (const r of readCsvRows(file)) back.push(r)
    expect(back).toEqual(rows)
    const objects: Record<string, string>[] = []
    for await (const r of readCsv(file)) objects.push(r)
    expect(objects[0]).toEqual({ id: '1', title: 'HOLD "ON", I', note: 'line one\nline two' })
  })
})
