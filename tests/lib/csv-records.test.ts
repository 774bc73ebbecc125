/** Byte-level CSV records (lib/lake/csv-records.ts) agree with papaparse on what our writers produce. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CsvRecordReader, forEachCsvRecord } from '../../lib/lake/csv-records.ts'
import { csvFields, csvLine, readCsvRows } from '../../lib/lake/lines.ts'

let dir: string | null = null
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = null
})

const tricky = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', ' lead', 'trail ', 'ünïcødé ✓', '', '"', '\n']

function rows(n: number): string[][] {
  const out: string[][] = []
  for (let i = 0; i < n; i++) out.push([`id${i}`, tricky[i % tricky.length], `${i * 7}`, tricky[(i * 3) % tricky.length], 'x'.repeat(i % 97)])
  return out
}

async function records(file: string) {
  const pushed: string[][] = []
  await forEachCsvRecord(file, (buf, s, e) => {
    expect(buf[e]).toBe(0x0a)
    pushed.push(csvFields(buf.toString('utf8', s, e)))
  })
  const pulled: string[][] = []
  const rd = await CsvRecordReader.open(file)
  for (;;) {
    let r = rd.next()
    if (r === undefined) {
      await rd.fill()
      r = rd.next()
      if (r === undefined) continue
    }
    if (r === null) break
    pulled.push(csvFields(r))
  }
  await rd.close()
  const parsed: string[][] = []
  for await (const r of readCsvRows(file)) parsed.push(r)
  return { pushed, pulled, parsed }
}

describe('CSV records as bytes', () => {
  it('splits records where papaparse does, across buffer boundaries, quoted newlines included', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'csvrec-'))
    const file = path.join(dir, 'a.csv')
    const data = rows(40_000)
    await writeFile(file, data.map(csvLine).join(''))
    const { pushed, pulled, parsed } = await records(file)
    expect(parsed).toEqual(data)
    expect(pushed).toEqual(data)
    expect(pulled).toEqual(data)
  })

  it('reads a last record without its newline, and a record longer than the buffer', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'csvrec-'))
    const file = path.join(dir, 'b.csv')
    const data = [
      ['a', 'b'],
      ['long', `"${'y'.repeat(3 << 20)}\n"`],
      ['last', 'one'],
    ]
    await writeFile(file, data.map(csvLine).join('').slice(0, -1))
    const { pushed, pulled, parsed } = await records(file)
    expect(parsed).toEqual(data)
    expect(pushed).toEqual(data)
    expect(pulled).toEqual(data)
  })
})
