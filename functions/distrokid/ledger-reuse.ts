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
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs'
import { open, readFile, rename, stat } from 'node:fs/promises'
import path from 'node:path'
import { DIR_MODE, FILE_MODE, tempName } from '../../lib/lake/atomic.ts'
import { digest64 } from '../../lib/lake/digest.ts'
import { CsvRecordReader } from '../../lib/lake/csv-records.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import { csvLine } from '../../lib/lake/lines.ts'
import { LEDGER_STAGING_HEADER } from './ledger-csv.ts'

/** Bumped whenever a record's raw or staging output would change (parsing, normalising, the layouts): old digests are then not reused. */
export const LEDGER_ROWS_VERSION = 3
/**
 * The code that turns a record into its raw and staging output: digests written by other code (an
 * edited alias table, a parser fix) are not reused even when nobody bumped the version. Where the
 * sources cannot be read, nothing is reused.
 */
const CODE = ['./ledger.ts', './ledger-csv.ts', './clean-ledger.ts', './ledger-reuse.ts', '../../lib/names.ts', '../../lib/money.ts', '../../lib/lake/lines.ts']
let codeDigest: Promise<number | null> | null = null
function code(): Promise<number | null> {
  codeDigest ??= Promise.all(CODE.map((f) => readFile(new URL(f, import.meta.url), 'utf8')))
    .then((texts) => digestText(texts.join('\u0000'))[0])
    .catch(() => null)
  return codeDigest
}
const MAGIC = 0x31524b44 // "DKR1"
const HEAD_WORDS = 13
/** Reused rows checked against a real parse: the first `VERIFY_FIRST`, then one in `VERIFY_EVERY`. */
export const VERIFY_FIRST = 64
export const VERIFY_EVERY = 97
const LINEAGE = Buffer.from(',"_landing_file":')

export const recordsPath = (staging: string) => path.join(path.dirname(staging), `_${path.basename(staging)}.records`)

/** Two 32-bit FNV-1a lanes over a string's UTF-16 units (lib/lake/digest.ts). */
export const digestText = digest64

/**
 * The digests of one export's raw records (every record with the header's number of fields), in raw
 * order, each flagged when it was staged (not quarantined), as promotion produces them.
 *
 * File layout (32-bit words): magic, version, records, header digest (2), staging size, raw size,
 * code digest, the staged rows' first and last Reporting Date (20 ASCII bytes, zeros when none); then two words per record; then one byte per record (1: staged).
 */
export class RecordDigests {
  // Digests go to a temp file beside their final place as they come (64 KB at a time), not into an array
  // of 8 bytes a record: at 5M lines that array was most of what the digests added to the peak.
  private readonly tmp: string
  private fd: number | null
  private chunk = new Uint32Array(1 << 14)
  private used = 0
  private flags: Uint8Array
  private n = 0
  private lo = '9999-99-99'
  private hi = ''

  /**
   * `file`: where the digests go (recordsPath of the staging file); `expected`: the records the file
   * likely holds (from its size), so the one-byte flags are not regrown as it is read.
   */
  constructor(
    private readonly header: string,
    private readonly file: string,
    expected = 1 << 16,
  ) {
    this.flags = new Uint8Array(Math.max(1 << 10, Math.ceil(expected * 1.05)))
    mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE })
    this.tmp = tempName(file)
    this.fd = openSync(this.tmp, 'w', FILE_MODE)
    // The head is written last, in place, once the count and the sizes are known.
    writeSync(this.fd, Buffer.alloc(HEAD_WORDS * 4))
  }

  /** Widens the staged rows' range of reporting dates. */
  date(d: string) {
    if (d < this.lo) this.lo = d
    if (d > this.hi) this.hi = d
  }

  push(a: number, b: number, staged: boolean) {
    if (this.used === this.chunk.length) this.flush()
    this.chunk[this.used++] = a
    this.chunk[this.used++] = b
    if (this.n === this.flags.length) {
      const flags = new Uint8Array(this.flags.length * 2)
      flags.set(this.flags)
      this.flags = flags
    }
    this.flags[this.n++] = staged ? 1 : 0
  }

  private flush() {
    if (this.fd === null) throw new Error('record digests already saved or discarded')
    writeSync(this.fd, new Uint8Array(this.chunk.buffer, 0, this.used * 4))
    this.used = 0
  }

  /** Puts the digests in place beside the committed staging file (whose size, and the raw file's, they record). */
  async save(staging: string, raw: string) {
    const c = await code()
    if (c === null || this.fd === null) return this.discard()
    try {
      this.flush()
      writeSync(this.fd, this.flags.subarray(0, this.n))
      const [a, b] = digestText(this.header)
      const head = new Uint32Array([MAGIC, LEDGER_ROWS_VERSION, this.n, a, b, (await stat(staging)).size >>> 0, (await stat(raw)).size >>> 0, c])
      const top = Buffer.alloc(HEAD_WORDS * 4)
      top.set(new Uint8Array(head.buffer), 0)
      if (this.hi) top.write(this.lo + this.hi, head.length * 4, 'latin1')
      writeSync(this.fd, top, 0, top.length, 0)
      closeSync(this.fd)
      this.fd = null
      await rename(this.tmp, this.file)
    } catch (err) {
      this.discard()
      throw err
    }
  }

  /** Removes the temp file: the promotion failed, restarted, or its staging file is not there. */
  discard() {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
    rmSync(this.tmp, { force: true })
  }
}

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

/**
 * The first and last Reporting Date of a staging ledger file, from its record digests when they are
 * this code's and describe it (null otherwise: then it is read); `[]` when it staged no row.
 */
export async function stagedRange(staging: string): Promise<[string, string] | [] | null> {
  let bytes: Buffer
  try {
    const fh = await open(recordsPath(staging), 'r')
    try {
      bytes = Buffer.alloc(HEAD_WORDS * 4)
      if ((await fh.read(bytes, 0, bytes.length, 0)).bytesRead !== bytes.length) return null
    } finally {
      await fh.close()
    }
  } catch {
    return null
  }
  const head = new Uint32Array(HEAD_WORDS)
  new Uint8Array(head.buffer).set(bytes)
  if (head[0] !== MAGIC || head[1] !== LEDGER_ROWS_VERSION || head[7] !== (await code())) return null
  const size = await stat(staging).then(
    (s) => s.size >>> 0,
    () => null,
  )
  if (size !== head[5]) return null
  if (bytes[32] === 0) return []
  const text = bytes.toString('latin1', 32, 52)
  return [text.slice(0, 10), text.slice(10)]
}

async function pull(reader: CsvRecordReader): Promise<boolean> {
  for (;;) {
    const r = reader.advance()
    if (r !== undefined) return r === true
    await reader.fill()
  }
}
