/**
 * @module Promoting a new full export without re-reading the lines it shares with the previous one.
 *
 * DistroKid exports are snapshots: each new one repeats almost every line of the last. A record whose
 * text (under the same header) equals a record the previous export staged yields the same staging row
 * but for two columns: its Line ID's occurrence number (counted within the new export, so taken from
 * the new export's own counter) and the Extracted At. So that row is taken from the previous export's
 * staging file, and only new or changed records are parsed.
 *
 * To find them, promotion writes beside each staging file `_<staging>.records` (ledger-digests.ts): the
 * header's digest and one 64-bit digest of the record text per staged row, in staging order. The staging file it describes
 * is checked by size and row count, and a sample of the reused rows (the first ones, then one in
 * `VERIFY_EVERY`) is parsed anyway and must come out identical; anything else and the export is
 * promoted line by line from the start (the caller restarts it), with the reason logged.
 */
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { CsvRecordReader } from '../../lib/lake/csv-records.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import { csvLine } from '../../lib/lake/lines.ts'
import { LEDGER_STAGING_HEADER } from './ledger-csv.ts'
import { code, digestText, HEAD_WORDS, LEDGER_ROWS_VERSION, MAGIC, recordsPath } from './ledger-digests.ts'

/** Reused rows checked against a real parse: the first `VERIFY_FIRST`, then one in `VERIFY_EVERY`. */
export const VERIFY_FIRST = 64
export const VERIFY_EVERY = 97
const LINEAGE = Buffer.from(',"_landing_file":')

/**
 * The previous export's records, by digest, read forward in raw and staging order together: `take`
 * makes the first not yet passed staged record with that digest current (`raw()`, `staging*()`); a
 * record that moved backwards is parsed instead.
 */
export class PreviousRows {
  private slots: Int32Array
  private next: Int32Array
  /** Raw records read so far (the current one is `rawPos - 1`). */
  private rawPos = 0
  private constructor(
    private readonly words: Uint32Array,
    private readonly flags: Uint8Array,
    readonly records: number,
    private readonly rawReader: CsvRecordReader,
    private readonly stagingReader: CsvRecordReader,
    readonly name: string,
  ) {
    const size = 1 << Math.ceil(Math.log2(Math.max(16, records * 2)))
    this.slots = new Int32Array(size).fill(-1)
    this.next = new Int32Array(records).fill(-1)
    const mask = size - 1
    // Backwards, so each chain lists a digest's records in raw order. Quarantined records are left out.
    for (let r = records - 1; r >= 0; r--) {
      if (!flags[r]) continue
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
   * Opens the newest staged export (other than `self`) with usable digests whose extraction date is not
   * after `notAfter` (a line valid then is valid now), for a new export with this header; or says why
   * there is none. `rawDir`: where the raw records of the exports are.
   */
  static async open(staged: LakeFile[], self: string, rawDir: string, header: string, notAfter: string): Promise<PreviousRows | string> {
    const prev = staged.filter((f) => f.path !== self && f.name.endsWith('.csv')).at(-1)
    if (!prev) return 'no earlier export is staged'
    if ((prev.extractedAt ?? new Date(0)).toISOString().slice(0, 10) > notAfter) return `${prev.name} was extracted after this export`
    let bytes: Buffer
    try {
      bytes = await readFile(recordsPath(prev.path))
    } catch {
      return `${prev.name} has no record digests`
    }
    if (bytes.length < HEAD_WORDS * 4) return `${prev.name}: its record digests are cut short`
    const head = new Uint32Array(HEAD_WORDS)
    new Uint8Array(head.buffer).set(bytes.subarray(0, HEAD_WORDS * 4))
    const n = head[2]
    if (head[0] !== MAGIC || head[1] !== LEDGER_ROWS_VERSION || head[7] !== (await code())) return `${prev.name}: its record digests were written by other code`
    if (bytes.length !== HEAD_WORDS * 4 + n * 9) return `${prev.name}: its record digests are cut short`
    const [a, b] = digestText(header)
    if (head[3] !== a || head[4] !== b) return `${prev.name} has another header`
    const raw = path.join(rawDir, prev.name.replace(/\.csv$/, '.ndjson'))
    const sizes = await Promise.all([stat(prev.path), stat(raw)]).catch(() => null)
    if (!sizes) return `${prev.name}: its raw records are gone`
    if (sizes[0].size >>> 0 !== head[5] || sizes[1].size >>> 0 !== head[6]) return `${prev.name}: staging or raw is not what its digests describe`
    const words = new Uint32Array(HEAD_WORDS + n * 2)
    new Uint8Array(words.buffer).set(bytes.subarray(0, (HEAD_WORDS + n * 2) * 4))
    const flags = new Uint8Array(bytes.subarray((HEAD_WORDS + n * 2) * 4))
    const stagingReader = await CsvRecordReader.open(prev.path)
    const rawReader = await CsvRecordReader.open(raw, { lines: true })
    const rows = new PreviousRows(words, flags, n, rawReader, stagingReader, prev.name)
    if (
      !(await pull(stagingReader)) ||
      stagingReader.buf.toString('utf8', stagingReader.at, stagingReader.end) !== csvLine(LEDGER_STAGING_HEADER).slice(0, -1)
    ) {
      await rows.close()
      return `${prev.name}: its staging header is not the current one`
    }
    return rows
  }

  /**
   * Makes the next unread staged record with this digest current; false when there is none (the record
   * is parsed). A promise only when a file buffer had to be refilled.
   */
  take(a: number, b: number): boolean | Promise<boolean> {
    const words = this.words
    const mask = this.slots.length - 1
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask
    let r = -1
    for (;;) {
      const at = this.slots[i]
      if (at < 0) return false
      if (words[HEAD_WORDS + at * 2] === a && words[HEAD_WORDS + at * 2 + 1] === b) {
        r = at
        break
      }
      i = (i + 1) & mask
    }
    while (r >= 0 && r < this.rawPos) r = this.next[r]
    if (r < 0) return false
    while (this.rawPos <= r) if (this.step() === undefined) return this.takeSlowly(r)
    return true
  }

  /** Whether the current raw record's staging row is still to be read. */
  private owed = false

  /** Reads one more record (its raw line, and its staging row when staged); undefined when a buffer must be refilled first. */
  private step(): true | undefined {
    if (!this.owed) {
      const raw = this.rawReader.advance()
      if (raw === undefined) return undefined
      if (raw === null) throw new StaleRows(`${this.name} has fewer raw records than its digests`)
      if (!this.flags[this.rawPos]) {
        this.rawPos++
        return true
      }
      this.owed = true
    }
    const row = this.stagingReader.advance()
    if (row === undefined) return undefined
    if (row === null) throw new StaleRows(`${this.name} has fewer staged rows than its digests`)
    this.owed = false
    this.rawPos++
    return true
  }

  private async takeSlowly(r: number): Promise<boolean> {
    for (;;) {
      await (this.owed ? this.stagingReader : this.rawReader).fill()
      while (this.rawPos <= r) if (this.step() === undefined) break
      if (this.rawPos > r) return true
    }
  }

  /** The current record's raw bytes up to its lineage: `{` and the members. */
  rawHead(): Uint8Array {
    const { buf, at, end } = this.rawReader
    const cut = buf.lastIndexOf(LINEAGE, end - 1)
    if (cut < at) throw new StaleRows(`${this.name}: a raw record has no lineage`)
    return buf.subarray(at, cut)
  }

  /** The current record's staging row: its identity's base (without occurrence number), and its columns between identity and extraction time (commas included). */
  stagingParts(): { base: string; middle: Uint8Array; date: string } {
    const { buf, at, end } = this.stagingReader
    const comma = buf.indexOf(0x2c, at)
    const last = buf.lastIndexOf(0x2c, end - 1)
    if (comma < 0 || comma >= end || last <= comma) throw new StaleRows(`${this.name}: a staging row has no identity and extraction time`)
    const dot = buf.indexOf(0x2e, at)
    const base = buf.toString('latin1', at, dot >= 0 && dot < comma ? dot : comma)
    return { base, middle: buf.subarray(comma, last + 1), date: buf.toString('latin1', comma + 1, comma + 11) }
  }

  async close(): Promise<void> {
    await this.rawReader.close()
    await this.stagingReader.close()
  }
}

export class StaleRows extends Error {}

async function pull(reader: CsvRecordReader): Promise<boolean> {
  for (;;) {
    const r = reader.advance()
    if (r !== undefined) return r === true
    await reader.fill()
  }
}
