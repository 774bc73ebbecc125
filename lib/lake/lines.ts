/** @module Streaming line, NDJSON and CSV readers/writers for lake files (CSV through papaparse both ways). */
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { StringDecoder } from 'node:string_decoder'
import { createInterface } from 'node:readline'
import Papa from 'papaparse'

/**
 * Lines of a text file, streamed. readline splits on `\r\n`, `\n` and a bare `\r` alike (the DistroKid
 * ledger ends its records with a bare CR), so callers never see a terminator. Not for CSV: a quoted
 * field may hold a newline (use `readCsvRows`).
 */
export async function* readLines(file: string, encoding: BufferEncoding = 'utf8') {
  const input = createReadStream(file, { encoding, highWaterMark: 1 << 20 })
  const rl = createInterface({ input, crlfDelay: Infinity })
  try {
    for await (const line of rl) yield line
  } finally {
    rl.close()
    input.destroy()
  }
}

/**
 * Records of a text export split on exactly its own terminator (a bare CR for DistroKid): a stray LF
 * inside a CR-terminated record stays part of its field instead of cutting the record in two.
 */
export async function* readRecords(file: string, terminator: string, encoding: BufferEncoding = 'utf8') {
  // One buffer read into again and again: a read stream allocates a fresh 1 MB buffer per chunk, and
  // those wait for a major GC (measured: 30–40 MB of them while a 100 MB ledger is promoted).
  const fh = await open(file, 'r')
  // 64 KB: the records of one read are one array, and at 1 MB (10,000 records) it outlived the young
  // generation, so every record's garbage went to the old one.
  const buf = Buffer.allocUnsafe(1 << 16)
  const decoder = new StringDecoder(encoding)
  let carry = ''
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null)
      if (bytesRead === 0) break
      const parts = (carry + decoder.write(buf.subarray(0, bytesRead))).split(terminator)
      carry = parts.pop()!
      yield* parts
    }
    carry += decoder.end()
    if (carry) yield carry
  } finally {
    await fh.close()
  }
}

export async function* readNdjson<T = unknown>(file: string): AsyncGenerator<T> {
  for await (const line of readLines(file)) if (line) yield JSON.parse(line) as T
}

// Papa's unparse costs ~20 µs a row; most rows need no quoting at all, and for those its output is
// exactly the fields joined by commas, so only rows that need quoting go through it.
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/

/** One CSV row as text, newline-terminated (RFC 4180 quoting by papaparse where a field needs it). */
export function csvLine(values: readonly unknown[]): string {
  const fields = values.map((v) => (v === null || v === undefined ? '' : String(v)))
  for (const f of fields) if (NEEDS_QUOTES.test(f)) return Papa.unparse([fields], { newline: '\n', quotes: false }) + '\n'
  return fields.join(',') + '\n'
}

/** Fields of one CSV record given as text (a header line, a test). */
export function csvFields(line: string): string[] {
  return Papa.parse<string[]>(line, { newline: '\n' }).data[0] ?? []
}

/**
 * Records of a CSV file, streamed through papaparse in chunks: quoted fields with commas, quotes and
 * newlines come back as written. Empty lines are skipped. The header, if any, is the first record.
 */
export async function* readCsvRows(file: string): AsyncGenerator<string[]> {
  const queue: string[][][] = []
  let done = false
  let failure: unknown = null
  let wake: (() => void) | null = null
  let parser: Papa.Parser | null = null
  const poke = () => {
    const w = wake
    wake = null
    w?.()
  }
  // 64 KB chunks: papaparse hands back a chunk's rows as one array; at 1 MB (10,000 rows) those arrays
  // outlived the young generation and piled up in the old one (measured: ~100 MB heap during a load).
  const input = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })
  input.on('error', (err) => {
    failure = err
    poke()
  })
  Papa.parse<string[]>(input as unknown as File, {
    newline: '\n',
    skipEmptyLines: true,
    chunk(results, p) {
      queue.push(results.data)
      // One chunk ahead at most: a large file never sits in memory whole.
      parser = p
      p.pause()
      poke()
    },
    complete() {
      done = true
      poke()
    },
    error(err: unknown) {
      failure = err
      poke()
    },
  })
  try {
    for (;;) {
      const rows = queue.shift()
      if (rows) {
        ;(parser as Papa.Parser | null)?.resume()
        yield* rows
        continue
      }
      if (failure) throw failure
      if (done) return
      await new Promise<void>((r) => (wake = r))
    }
  } finally {
    if (!done) {
      ;(parser as Papa.Parser | null)?.abort()
      input.destroy()
    }
  }
}

/** Rows of a CSV file with a header, as objects of strings, streamed. */
export async function* readCsv(file: string): AsyncGenerator<Record<string, string>> {
  let header: string[] | null = null
  for await (const fields of readCsvRows(file)) {
    if (!header) {
      header = fields
      continue
    }
    const row: Record<string, string> = {}
    for (let i = 0; i < header.length; i++) row[header[i]] = fields[i] ?? ''
    yield row
  }
}
