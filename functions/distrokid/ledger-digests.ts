/**
 * @module The record digests written beside each staged DistroKid ledger (`_<staging>.records`): one
 * 64-bit digest of each record's text in staging order, a flag saying whether it was staged, and a head
 * with the header's digest, the sizes of the staging and raw files it describes, the staged date range
 * and a digest of the code that wrote it. Written by RecordDigests during promotion; read by
 * ledger-reuse.ts (repeated lines) and by curation (`stagedRange`, without reading the staging file).
 */
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs'
import { open, readFile, rename, stat } from 'node:fs/promises'
import path from 'node:path'
import { DIR_MODE, FILE_MODE, tempName } from '../../lib/lake/atomic.ts'
import { digest64 } from '../../lib/lake/digest.ts'

/** Bumped whenever a record's raw or staging output would change (parsing, normalising, the layouts): old digests are then not reused. */
export const LEDGER_ROWS_VERSION = 3
/**
 * The code that turns a record into its raw and staging output: digests written by other code (an
 * edited alias table, a parser fix) are not reused even when nobody bumped the version. Where the
 * sources cannot be read, nothing is reused.
 */
const CODE = [
  './ledger.ts',
  './ledger-csv.ts',
  './clean-ledger.ts',
  './ledger-reuse.ts',
  './ledger-digests.ts',
  '../../lib/names.ts',
  '../../lib/money.ts',
  '../../lib/lake/lines.ts',
]
let codeDigest: Promise<number | null> | null = null
export function code(): Promise<number | null> {
  codeDigest ??= Promise.all(CODE.map((f) => readFile(new URL(f, import.meta.url), 'utf8')))
    .then((texts) => digestText(texts.join('\u0000'))[0])
    .catch(() => null)
  return codeDigest
}
export const MAGIC = 0x31524b44 // "DKR1"
export const HEAD_WORDS = 13

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
