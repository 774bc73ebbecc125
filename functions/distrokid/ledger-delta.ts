/**
 * @module What changed between two versions of the curated ledger, so a load applies only that.
 *
 * A new full export that restates 1% of its lines rebuilds the whole curated file (every line carries
 * the new export's extraction time), but the warehouse needs only: the lines whose identity is new,
 * the lines whose columns (other than the extraction time) changed, and the identities that are gone.
 * Upserting those and deleting the gone ones gives exactly the warehouse a full load gives: a full
 * load rewrites a row only when a measure changed (bulk.ts), and prunes the identities curated lacks.
 *
 * The delta is written beside the curated file before it is replaced (`_<curated>.delta.json` and
 * `.delta.csv`), stating the SHA-256 of the curated file it starts from and of the one it produces.
 * The loader uses it only when the warehouse's last load was of the starting file and the curated
 * file now is the produced one (and the row counts agree); anything else is a full load. A delta is
 * thus never stale in a way that matters: it either describes the exact step from what was loaded to
 * what is there, or it is ignored.
 *
 * Records are compared as bytes (both files are written by `csvLine`, so equal values are equal bytes),
 * keyed by `Line ID` (the first field) and compared on everything between it and `Extracted At` (the
 * last field); neither of those two is ever quoted.
 */
import { createHash } from 'node:crypto'
import { readFile, rm, stat } from 'node:fs/promises'
import { z } from 'zod'
import { AtomicWriter, writeFileAtomic } from '../../lib/lake/atomic.ts'
import { forEachCsvRecord } from '../../lib/lake/csv-records.ts'
import { sha256File } from '../../lib/lake/hash.ts'

const COMMA = 0x2c

/**
 * The ledger's shortcuts (this delta, and promotion taking repeated lines as staged, ledger-reuse.ts)
 * can be switched off, so tests can hold them against the full path; the counters say they were used.
 */
export const ledgerShortcuts = {
  enabled: true,
  /** Whether promotion parses a sample of the lines it takes as staged, to check them (ledger-reuse.ts). */
  verify: true,
  reusedLines: 0,
  deltasApplied: 0,
}

export const deltaPaths = (curated: string) => ({
  meta: curated.replace(/([^/\\]+)$/, '_$1.delta.json'),
  rows: curated.replace(/([^/\\]+)$/, '_$1.delta.csv'),
})

const Meta = z.object({
  version: z.literal(1),
  /** SHA-256 of the curated file the delta starts from, and its number of lines. */
  base: z.string(),
  baseLines: z.number(),
  /** SHA-256 of the curated file the delta produces, and its number of lines. */
  target: z.string(),
  lines: z.number(),
  /** SHA-256 of the `.delta.csv` (the header and the lines to upsert). */
  rows: z.string(),
  upserts: z.number(),
  deletes: z.array(z.string()),
})
export type LedgerDeltaMeta = z.infer<typeof Meta>

/** Two 32-bit FNV-1a lanes over bytes (one byte changed always changes both). */
function digest(buf: Buffer, start: number, end: number): [number, number] {
  let a = 0x811c9dc5
  let b = 0x01000193
  for (let i = start; i < end; i++) {
    const c = buf[i]
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
  }
  return [a >>> 0, b >>> 0]
}

/**
 * The lines of one curated file by identity: the identity's bytes (compared exactly) and a 64-bit
 * digest and length of the rest of the line, in flat arrays (a million lines cost ~60 MB, no object per line).
 */
class LineTable {
  private ids = Buffer.allocUnsafe(1 << 20)
  private idsUsed = 0
  private idOff: Uint32Array
  private idLen: Uint16Array
  private va: Uint32Array
  private vb: Uint32Array
  private vlen: Uint32Array
  readonly seen: Uint8Array
  size = 0
  private slotHash: Uint32Array
  private slotEntry: Int32Array

  constructor(capacity: number) {
    const n = Math.max(1024, capacity)
    this.idOff = new Uint32Array(n)
    this.idLen = new Uint16Array(n)
    this.va = new Uint32Array(n)
    this.vb = new Uint32Array(n)
    this.vlen = new Uint32Array(n)
    this.seen = new Uint8Array(n)
    const slots = 1 << Math.ceil(Math.log2(n * 2))
    this.slotHash = new Uint32Array(slots)
    this.slotEntry = new Int32Array(slots).fill(-1)
  }

  /** The slot of this identity, or the empty slot where it belongs. */
  private slot(buf: Buffer, s: number, e: number, h: number): number {
    const mask = this.slotEntry.length - 1
    for (let i = Math.imul(h, 0x9e3779b1) >>> 0; ; i++) {
      const at = i & mask
      const entry = this.slotEntry[at]
      if (entry < 0) return at
      if (this.slotHash[at] === h && this.idLen[entry] === e - s && this.ids.compare(buf, s, e, this.idOff[entry], this.idOff[entry] + this.idLen[entry]) === 0)
        return at
    }
  }

  /** Adds a line; false when its identity is already in the table. */
  add(buf: Buffer, s: number, e: number, vs: number, ve: number): boolean {
    if ((this.size + 1) * 2 > this.slotEntry.length) this.grow()
    const [h] = digest(buf, s, e)
    const at = this.slot(buf, s, e, h)
    if (this.slotEntry[at] >= 0) return false
    if (this.idsUsed + (e - s) > this.ids.length) {
      const bigger = Buffer.allocUnsafe(this.ids.length * 2)
      this.ids.copy(bigger, 0, 0, this.idsUsed)
      this.ids = bigger
    }
    const entry = this.size++
    buf.copy(this.ids, this.idsUsed, s, e)
    this.idOff[entry] = this.idsUsed
    this.idLen[entry] = e - s
    this.idsUsed += e - s
    const [a, b] = digest(buf, vs, ve)
    this.va[entry] = a
    this.vb[entry] = b
    this.vlen[entry] = ve - vs
    this.slotHash[at] = h
    this.slotEntry[at] = entry
    return true
  }

  /** The entry of this identity, or -1. */
  find(buf: Buffer, s: number, e: number): number {
    const [h] = digest(buf, s, e)
    return this.slotEntry[this.slot(buf, s, e, h)]
  }

  sameValue(entry: number, buf: Buffer, vs: number, ve: number): boolean {
    if (this.vlen[entry] !== ve - vs) return false
    const [a, b] = digest(buf, vs, ve)
    return this.va[entry] === a && this.vb[entry] === b
  }

  id(entry: number): string {
    return this.ids.toString('utf8', this.idOff[entry], this.idOff[entry] + this.idLen[entry])
  }

  private grow() {
    const n = this.idOff.length * 2
    const widen = <T extends Uint32Array | Uint16Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n)
      b.set(a)
      return b
    }
    this.idOff = widen(this.idOff, (k) => new Uint32Array(k))
    this.idLen = widen(this.idLen, (k) => new Uint16Array(k))
    this.va = widen(this.va, (k) => new Uint32Array(k))
    this.vb = widen(this.vb, (k) => new Uint32Array(k))
    this.vlen = widen(this.vlen, (k) => new Uint32Array(k))
    ;(this as { seen: Uint8Array }).seen = widen(this.seen, (k) => new Uint8Array(k))
    const slots = this.slotEntry.length * 2
    this.slotHash = new Uint32Array(slots)
    this.slotEntry = new Int32Array(slots).fill(-1)
    const mask = slots - 1
    for (let entry = 0; entry < this.size; entry++) {
      const off = this.idOff[entry]
      const [h] = digest(this.ids, off, off + this.idLen[entry])
      let i = Math.imul(h, 0x9e3779b1) >>> 0
      while (this.slotEntry[i & mask] >= 0) i++
      this.slotHash[i & mask] = h
      this.slotEntry[i & mask] = entry
    }
  }
}

/** Splits a curated record into its identity `[s, e)` and the part compared `[vs, ve)`; null when it has no such shape. */
function parts(buf: Buffer, start: number, end: number): [number, number, number, number] | null {
  const first = buf.indexOf(COMMA, start)
  const last = buf.lastIndexOf(COMMA, end - 1)
  if (first < 0 || first >= end || last <= first || first === start) return null
  return [start, first, first + 1, last]
}

class NoDelta extends Error {}

/**
 * Writes the delta from curated file `from` to curated file `to` beside `curated`, unless the step is
 * not describable line by line (another header, a repeated identity) or not worth it; returns why not,
 * and the SHA-256 of both files once both were read whole. `to` is the finished temp file about to
 * replace `from`.
 */
export async function writeLedgerDelta(
  curated: string,
  from: string,
  to: string,
  maxShare = 0.5,
): Promise<{ why: string | null; hashes?: { old: string; new: string } }> {
  const paths = deltaPaths(curated)
  const baseHash = createHash('sha256')
  let header: Buffer | null = null
  let table: LineTable | null = null
  let baseLines = 0
  const rows = AtomicWriter.openSync(paths.rows)
  try {
    const { size } = await stat(from)
    table = new LineTable(Math.ceil(size / 100))
    const t = table
    await forEachCsvRecord(
      from,
      (buf, start, end) => {
        if (!header) {
          header = Buffer.from(buf.subarray(start, end))
          return
        }
        const p = parts(buf, start, end)
        if (!p) throw new NoDelta(`a line of the current curated file has no identity and extraction time`)
        if (!t.add(buf, p[0], p[1], p[2], p[3])) throw new NoDelta(`the current curated file repeats the identity ${buf.toString('utf8', p[0], p[1])}`)
        baseLines++
      },
      { hash: baseHash },
    )
    const targetHash = createHash('sha256')
    let lines = 0
    let upserts = 0
    let first = true
    await forEachCsvRecord(
      to,
      (buf, start, end) => {
        if (first) {
          first = false
          if (header?.compare(buf, start, end) !== 0) throw new NoDelta('the curated header changed')
          return rows.writeBytes(buf.subarray(start, end + 1))
        }
        lines++
        const p = parts(buf, start, end)
        if (!p) throw new NoDelta(`a line of the new curated file has no identity and extraction time`)
        const entry = t.find(buf, p[0], p[1])
        if (entry >= 0) {
          if (t.seen[entry]) throw new NoDelta(`the new curated file repeats the identity ${buf.toString('utf8', p[0], p[1])}`)
          t.seen[entry] = 1
          if (t.sameValue(entry, buf, p[2], p[3])) return
        }
        upserts++
        return rows.writeBytes(buf.subarray(start, end + 1))
      },
      { hash: targetHash },
    )
    if (first) throw new NoDelta('the new curated file is empty')
    const base = baseHash.digest('hex')
    const target = targetHash.digest('hex')
    const hashes = { old: base, new: target }
    if (base === target) {
      // Nothing to describe (a rebuild of the same file): a delta already written for it stays.
      await rows.abort()
      return { why: null, hashes }
    }
    let gone = 0
    for (let entry = 0; entry < t.size; entry++) gone += t.seen[entry] ^ 1
    if (upserts + gone > maxShare * Math.max(lines, baseLines)) {
      await rows.abort()
      await rm(paths.meta, { force: true })
      return { why: `${upserts} lines to write and ${gone} to delete: a full load is as cheap`, hashes }
    }
    const deletes: string[] = []
    for (let entry = 0; entry < t.size; entry++) if (!t.seen[entry]) deletes.push(t.id(entry))
    await rows.commit()
    const meta: LedgerDeltaMeta = {
      version: 1,
      base,
      baseLines,
      target,
      lines,
      rows: await sha256File(paths.rows),
      upserts,
      deletes,
    }
    await writeFileAtomic(paths.meta, JSON.stringify(meta))
    return { why: null, hashes }
  } catch (err) {
    await rows.abort()
    await rm(paths.meta, { force: true })
    if (err instanceof NoDelta) return { why: err.message }
    throw err
  }
}

/**
 * The delta that turns the warehouse's load of `loaded` into a load of `current` (both SHA-256 of the
 * curated file), with the path of its rows; or why there is none to use.
 */
export async function readLedgerDelta(curated: string, loaded: string | null, current: string): Promise<{ meta: LedgerDeltaMeta; rows: string } | string> {
  const paths = deltaPaths(curated)
  let text: string
  try {
    text = await readFile(paths.meta, 'utf8')
  } catch {
    return 'no delta was written for the current curated ledger'
  }
  const parsed = Meta.safeParse(JSON.parse(text))
  if (!parsed.success) return 'the delta file is not readable'
  const meta = parsed.data
  if (meta.target !== current) return 'the delta was written for another curated ledger'
  if (loaded === null || meta.base !== loaded) return 'the delta does not start from the ledger the warehouse last loaded'
  const rowsHash = await sha256File(paths.rows).catch(() => null)
  if (rowsHash !== meta.rows) return 'the delta rows file does not match its description'
  return { meta, rows: paths.rows }
}
