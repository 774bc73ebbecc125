/**
 * @module Promoting a new full export without re-reading the lines it shares with the previous one.
 *
 * DistroKid exports are snapshots: each new one repeats almost every line of the last. A record whose
 * text (under the same header) equals a record the previous export staged yields the same staging row
 * but for two columns: its Line ID's occurrence number (counted within the new export, so taken from
 * the new export's own counter) and the Extracted At. So that row is taken from the previous export's
 * staging file, and only new or changed records are parsed.
 *
 * To find them, promotion writes beside each staging file `_<staging>.records`: the header's digest and
 * one 64-bit digest of the record text per staged row, in staging order. The staging file it describes
 * is checked by size and row count, and a sample of the reused rows (the first ones, then one in
 * `VERIFY_EVERY`) is parsed anyway and must come out identical; anything else and the export is
 * promoted line by line from the start (the caller restarts it), with the reason logged.
 */
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../../lib/lake/atomic.ts'
import { CsvRecordReader } from '../../lib/lake/csv-records.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import { csvLine } from '../../lib/lake/lines.ts'
import { LEDGER_STAGING_HEADER } from './ledger-csv.ts'

/** Bumped whenever a record's staging row would change (parsing, normalising, the CSV layout): old digests are then not reused. */
export const LEDGER_ROWS_VERSION = 1
const MAGIC = 0x31524b44 // "DKR1"
const HEAD_WORDS = 6
/** Reused rows checked against a real parse: the first `VERIFY_FIRST`, then one in `VERIFY_EVERY`. */
export const VERIFY_FIRST = 64
export const VERIFY_EVERY = 97

export const recordsPath = (staging: string) => path.join(path.dirname(staging), `_${path.basename(staging)}.records`)

/** Two 32-bit FNV-1a lanes over a string's UTF-16 units. */
export function digestText(s: string): [number, number] {
  let a = 0x811c9dc5
  let b = 0x01000193
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
  }
  return [a >>> 0, b >>> 0]
}

/** The digests of one export's staged rows, as promotion produces them. */
export class RecordDigests {
  private words = new Uint32Array(HEAD_WORDS + (1 << 16) * 2)
  private rows = 0

  constructor(header: string) {
    const [a, b] = digestText(header)
    this.words[0] = MAGIC
    this.words[1] = LEDGER_ROWS_VERSION
    this.words[3] = a
    this.words[4] = b
  }

  push(a: number, b: number) {
    const at = HEAD_WORDS + this.rows * 2
    if (at + 2 > this.words.length) {
      const bigger = new Uint32Array(this.words.length * 2)
      bigger.set(this.words)
      this.words = bigger
    }
    this.words[at] = a
    this.words[at + 1] = b
    this.rows++
  }

  /** Writes the digests beside the committed staging file (whose size they record). */
  async save(staging: string) {
    this.words[2] = this.rows
    this.words[5] = (await stat(staging)).size >>> 0
    const bytes = new Uint8Array(this.words.buffer, 0, (HEAD_WORDS + this.rows * 2) * 4)
    await writeFileAtomic(recordsPath(staging), bytes)
  }
}

/**
 * The previous export's staged rows, by record digest, read in staging order: `take` returns the
 * staging row of the first not yet passed row with that digest (rows are only ever read forward, so
 * a record that moved backwards is parsed instead).
 */
export class PreviousRows {
  private slots: Int32Array
  private next: Int32Array
  private pos = 0
  private constructor(
    private readonly words: Uint32Array,
    readonly rows: number,
    private readonly reader: CsvRecordReader,
    readonly name: string,
  ) {
    const size = 1 << Math.ceil(Math.log2(Math.max(16, rows * 2)))
    this.slots = new Int32Array(size).fill(-1)
    this.next = new Int32Array(rows).fill(-1)
    const mask = size - 1
    // Backwards, so each chain lists a digest's rows in staging order.
    for (let r = rows - 1; r >= 0; r--) {
      const a = words[HEAD_WORDS + r * 2]
      const b = words[HEAD_WORDS + r * 2 + 1]
      let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask
      for (;;) {
        const at = this.slots[i]
        if (at < 0) {
          this.slots[i] = r
          break
        }
        if (words[HEAD_WORDS + at * 2] === a && words[HEAD_WORDS + at * 2 + 1] === b) {
          this.next[r] = at
          this.slots[i] = r
          break
        }
        i = (i + 1) & mask
      }
    }
  }

  /**
   * Opens the newest staged export (other than `self`) with a usable digest file whose extraction date
   * is not after `notAfter` (a line valid then is valid now), for a new export with this header; or says
   * why there is none.
   */
  static async open(staged: LakeFile[], self: string, header: string, notAfter: string): Promise<PreviousRows | string> {
    const candidates = staged.filter((f) => f.path !== self && f.name.endsWith('.csv'))
    const prev = candidates.at(-1)
    if (!prev) return 'no earlier export is staged'
    if ((prev.extractedAt ?? new Date(0)).toISOString().slice(0, 10) > notAfter) return `${prev.name} was extracted after this export`
    let bytes: Buffer
    try {
      bytes = await readFile(recordsPath(prev.path))
    } catch {
      return `${prev.name} has no record digests`
    }
    if (bytes.length < HEAD_WORDS * 4 || bytes.length % 4) return `${prev.name}: its record digests are cut short`
    const words = new Uint32Array(bytes.length / 4)
    new Uint8Array(words.buffer).set(bytes)
    const rows = words[2]
    const [a, b] = digestText(header)
    if (words[0] !== MAGIC || words[1] !== LEDGER_ROWS_VERSION) return `${prev.name}: its record digests are of another version`
    if (words.length !== HEAD_WORDS + rows * 2) return `${prev.name}: its record digests are cut short`
    if (words[3] !== a || words[4] !== b) return `${prev.name} has another header`
    if ((await stat(prev.path)).size >>> 0 !== words[5]) return `${prev.name} is not the staging file its digests describe`
    const reader = await CsvRecordReader.open(prev.path)
    const head = await pull(reader)
    if (head !== csvLine(LEDGER_STAGING_HEADER).slice(0, -1)) {
      await reader.close()
      return `${prev.name}: its staging header is not the current one`
    }
    return new PreviousRows(words, rows, reader, prev.name)
  }

  /** The staging row of the next unread row with this digest, or null (then the record is parsed). */
  async take(a: number, b: number): Promise<string | null> {
    const words = this.words
    const mask = this.slots.length - 1
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask
    let r = -1
    for (;;) {
      const at = this.slots[i]
      if (at < 0) return null
      if (words[HEAD_WORDS + at * 2] === a && words[HEAD_WORDS + at * 2 + 1] === b) {
        r = at
        break
      }
      i = (i + 1) & mask
    }
    while (r >= 0 && r < this.pos) r = this.next[r]
    if (r < 0) return null
    let row: string | null = null
    while (this.pos <= r) {
      row = await pull(this.reader)
      if (row === null) throw new StaleRows(`${this.name} has fewer rows than its digests`)
      this.pos++
    }
    return row
  }

  close(): Promise<void> {
    return this.reader.close()
  }
}

export class StaleRows extends Error {}

async function pull(reader: CsvRecordReader): Promise<string | null> {
  for (;;) {
    const r = reader.next()
    if (r !== undefined) return r
    await reader.fill()
  }
}

/**
 * A previous staging row re-stated for the new export: the identity's base with this export's
 * occurrence number, the same columns, this export's extraction time. `occurrence` counts the base.
 */
export function restate(row: string, occurrence: (base: string) => number, extractedAt: string): string {
  const comma = row.indexOf(',')
  const dot = row.indexOf('.')
  const base = row.slice(0, dot >= 0 && dot < comma ? dot : comma)
  const n = occurrence(base)
  return `${n === 1 ? base : `${base}.${n}`}${row.slice(comma, row.lastIndexOf(','))},${extractedAt}\n`
}
