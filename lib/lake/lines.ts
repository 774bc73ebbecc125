/** @module Streaming line, NDJSON and CSV readers/writers for lake files. */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import Papa from 'papaparse'

/**
 * Lines of a text file, streamed. readline splits on `\r\n`, `\n` and a bare `\r` alike (the DistroKid
 * ledger ends its records with a bare CR), so callers never see a terminator.
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

export async function* readNdjson<T = unknown>(file: string): AsyncGenerator<T> {
  for await (const line of readLines(file)) if (line) yield JSON.parse(line) as T
}

const NEEDS_QUOTES = /[",\r\n]/

/** One CSV field, quoted only where RFC 4180 requires it (papaparse's unparse costs ~10x per row). */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = String(v)
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** One CSV row as text, newline-terminated. */
export function csvLine(values: readonly unknown[]): string {
  let out = ''
  for (let i = 0; i < values.length; i++) out += (i ? ',' : '') + csvField(values[i])
  return out + '\n'
}

/** Fields of one CSV line (a line without quotes splits directly; quoted ones go through papaparse). */
export function csvFields(line: string): string[] {
  return line.includes('"') ? Papa.parse<string[]>(line).data[0] : line.split(',')
}

/** Rows of a CSV file with a header, as objects of strings, streamed. */
export async function* readCsv(file: string): AsyncGenerator<Record<string, string>> {
  let header: string[] | null = null
  for await (const line of readLines(file)) {
    if (!line) continue
    const fields = csvFields(line)
    if (!header) {
      header = fields
      continue
    }
    const row: Record<string, string> = {}
    for (let i = 0; i < header.length; i++) row[header[i]] = fields[i] ?? ''
    yield row
  }
}
