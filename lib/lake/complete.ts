/**
 * @module Is this file whole? A download cut short (a dropped connection, a copy interrupted, a disk
 * full) usually still parses as far as it goes, so each source checks the end its format promises
 * before promoting anything: a record terminator, a complete JSON document, a ZIP's central directory.
 * Each check returns null when the file is complete, else the reason (for a RefusedFile).
 */
import { open, readFile } from 'node:fs/promises'
import { unzipSync } from 'fflate'

/** The last `n` bytes of a file (fewer when it is shorter). */
export async function tailBytes(file: string, n: number): Promise<Buffer> {
  const fh = await open(file, 'r')
  try {
    const { size } = await fh.stat()
    const len = Math.min(n, size)
    const buf = Buffer.alloc(len)
    await fh.read(buf, 0, len, size - len)
    return buf
  } finally {
    await fh.close()
  }
}

const NAMES: Record<string, string> = { '\r': 'CR', '\n': 'LF', '\r\n': 'CRLF' }

/**
 * A text export must end with its record terminator: without it the last record may have been cut
 * anywhere, even at a field or record boundary where it still parses.
 */
export async function missingTerminator(file: string, terminator: '\r' | '\n' | '\r\n'): Promise<string | null> {
  const tail = (await tailBytes(file, 2)).toString('latin1')
  if (tail.endsWith(terminator)) return null
  const last = tail.slice(-1)
  const ends = last === '' ? 'is empty' : `ends with ${JSON.stringify(last)}`
  return `truncated: the file ${ends}, not with the final record terminator (${NAMES[terminator]}); the download was cut short`
}

/** The record terminator a text starts with (its first line's ending), or null when it has none. */
export function terminatorOf(head: string): '\r' | '\n' | '\r\n' | null {
  const at = head.search(/[\r\n]/)
  if (at < 0) return null
  if (head[at] === '\n') return '\n'
  if (at + 1 >= head.length) return '\r' // cannot tell CR from CRLF at the very end of the head
  return head[at + 1] === '\n' ? '\r\n' : '\r'
}

/** A whole JSON document (the text, or a file's content): null when it parses, else why not. */
export function incompleteJson(text: string): string | null {
  if (text.trim() === '') return 'the file is empty, not a JSON document'
  try {
    JSON.parse(text)
    return null
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    return /end of (JSON )?input|Unterminated|Expected .* after/i.test(why) ? `truncated JSON: ${why}` : `not valid JSON: ${why}`
  }
}

export async function incompleteJsonFile(file: string): Promise<string | null> {
  return incompleteJson(await readFile(file, 'utf8'))
}

/**
 * A whole ZIP: its end-of-central-directory record is present and the central directory it points to
 * lists entries that lie inside the file. Nothing is decompressed.
 */
export function incompleteZip(data: Uint8Array): string | null {
  if (data.length < 22) return `truncated ZIP: ${data.length} bytes, shorter than an end-of-central-directory record`
  if (data[0] !== 0x50 || data[1] !== 0x4b) return 'not a ZIP file (no PK signature)'
  const window = data.subarray(Math.max(0, data.length - 65_557))
  let eocd = -1
  for (let i = window.length - 22; i >= 0; i--) {
    if (window[i] === 0x50 && window[i + 1] === 0x4b && window[i + 2] === 0x05 && window[i + 3] === 0x06) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return 'truncated ZIP: no end-of-central-directory record (the download was cut short)'
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const at = data.length - window.length + eocd
  const entries = view.getUint16(at + 10, true)
  const cdSize = view.getUint32(at + 12, true)
  const cdStart = view.getUint32(at + 16, true)
  if (cdStart + cdSize > at) return `truncated ZIP: the central directory (${cdStart}+${cdSize}) lies past its end record (${at})`
  let p = cdStart
  for (let i = 0; i < entries; i++) {
    if (p + 46 > at || view.getUint32(p, true) !== 0x02014b50) return `truncated ZIP: central directory entry ${i + 1} of ${entries} is missing`
    if (view.getUint32(p + 42, true) >= cdStart) return `truncated ZIP: entry ${i + 1} starts past the file data`
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true)
  }
  try {
    unzipSync(data, { filter: () => false })
  } catch (err) {
    return `truncated ZIP: ${err instanceof Error ? err.message : String(err)}`
  }
  return null
}

export async function incompleteZipFile(file: string): Promise<string | null> {
  return incompleteZip(await readFile(file))
}
