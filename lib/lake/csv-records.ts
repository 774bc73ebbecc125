/**
 * @module CSV records as bytes, for large lake files our own writers produced (`csvLine`): records end
 * with `\n`, and a quoted field may hold a newline (RFC 4180: a quote inside a quoted field is doubled,
 * so a record ends at the first `\n` after an even number of quotes). No field is decoded: a caller
 * that needs one or two unquoted fields (an identity, a date) or the record as it is (to copy or
 * compare it) skips papaparse and the strings it would build for every field.
 */
import type { Hash } from 'node:crypto'
import { open } from 'node:fs/promises'

const NL = 0x0a
const QUOTE = 0x22

/**
 * Calls `fn` with each record of `file` as `buf[start, end)` (the `\n` excluded, but always at `buf[end]`,
 * so `buf[start, end + 1)` is the record with its newline); the bytes are valid only during the call. Empty lines are skipped, as `readCsvRows` skips them. `fn` may return a
 * promise (awaited before the next record). `hash`, when given, is fed every byte of the file.
 */
export async function forEachCsvRecord(
  file: string,
  fn: (buf: Buffer, start: number, end: number) => void | Promise<void>,
  opts: { hash?: Hash } = {},
): Promise<void> {
  const fh = await open(file, 'r')
  let buf = Buffer.allocUnsafe(1 << 20)
  let filled = 0
  try {
    for (;;) {
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2)
        buf.copy(bigger, 0, 0, filled)
        buf = bigger
      }
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null)
      const eof = bytesRead === 0
      opts.hash?.update(buf.subarray(filled, filled + bytesRead))
      filled += bytesRead
      let start = 0
      let pos = 0
      let quotes = 0
      // The next quote at or after `pos` (`filled` when none): searched again only once passed, so
      // quote-free files cost one search per buffer, not one per record.
      let quote = -1
      for (;;) {
        const nl = buf.indexOf(NL, pos)
        const end = nl < 0 || nl >= filled ? filled : nl
        for (;;) {
          if (quote < pos) {
            quote = buf.indexOf(QUOTE, pos)
            if (quote < 0 || quote > filled) quote = filled
          }
          if (quote >= end) break
          quotes++
          pos = quote + 1
        }
        if (end === filled && !eof) break
        if (quotes % 2 === 1 && end < filled) {
          pos = end + 1 // a newline inside a quoted field
          continue
        }
        if (end > start) {
          if (end === filled) {
            // The last record lacks its newline: give it one, so `buf[end]` is always `\n`.
            if (filled === buf.length) {
              const bigger = Buffer.allocUnsafe(buf.length + 1)
              buf.copy(bigger, 0, 0, filled)
              buf = bigger
            }
            buf[end] = NL
          }
          const p = fn(buf, start, end)
          if (p) await p
        }
        start = pos = end + 1
        quotes = 0
        if (start >= filled) break
      }
      if (eof) return
      // Keep the unfinished record at the front; the next read appends to it.
      buf.copy(buf, 0, start, filled)
      filled -= Math.min(start, filled)
    }
  } finally {
    await fh.close()
  }
}

/**
 * The same records pulled one at a time: for walking one file alongside another. `advance()` makes the
 * next record current (`buf[at, end)`, valid until the next call) and returns true, null at the end, or
 * undefined when the buffer is spent (`await fill()`, then ask again): a caller awaits once per buffer,
 * not once per record. `next()` is the same returning the record as text. With `lines`, records are
 * plain lines (NDJSON: a quote never hides a newline there, and escaped quotes would upset the count).
 */
export class CsvRecordReader {
  buf = Buffer.allocUnsafe(1 << 20)
  at = 0
  end = 0
  private filled = 0
  private start = 0
  private eof = false
  /** The next quote at or after the last search (`filled` when none), as in `forEachCsvRecord`. */
  private quote = -1

  private constructor(
    private readonly fh: Awaited<ReturnType<typeof open>>,
    private readonly lines: boolean,
  ) {}

  static async open(file: string, opts: { lines?: boolean } = {}): Promise<CsvRecordReader> {
    return new CsvRecordReader(await open(file, 'r'), opts.lines ?? false)
  }

  next(): string | null | undefined {
    const r = this.advance()
    return r ? this.buf.toString('utf8', this.at, this.end) : r
  }

  advance(): true | null | undefined {
    const buf = this.buf
    for (;;) {
      let pos = this.start
      let quotes = 0
      for (;;) {
        const nl = buf.indexOf(NL, pos)
        const end = nl < 0 || nl >= this.filled ? this.filled : nl
        while (!this.lines) {
          if (this.quote < pos) {
            const q = buf.indexOf(QUOTE, pos)
            this.quote = q < 0 || q > this.filled ? this.filled : q
          }
          if (this.quote >= end) break
          quotes++
          pos = this.quote + 1
        }
        if (end === this.filled) {
          if (!this.eof) return undefined
          if (end === this.start) return null
        } else if (quotes % 2 === 1) {
          pos = end + 1
          continue
        }
        const s = this.start
        this.start = Math.min(end + 1, this.filled)
        if (end === s) break // an empty line: skipped
        this.at = s
        this.end = end
        return true
      }
    }
  }

  /** Reads more of the file behind what `next` has not yet returned. */
  async fill(): Promise<void> {
    if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.filled)
      this.filled -= this.start
      this.start = 0
    }
    if (this.filled === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2)
      this.buf.copy(bigger, 0, 0, this.filled)
      this.buf = bigger
    }
    const { bytesRead } = await this.fh.read(this.buf, this.filled, this.buf.length - this.filled, null)
    if (bytesRead === 0) this.eof = true
    this.filled += bytesRead
    this.quote = -1
  }

  async close(): Promise<void> {
    await this.fh.close()
  }
}
