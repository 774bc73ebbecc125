/**
 * @module A landed API answer read as what it claims to be: an HTML page (a sign-in wall saved as data),
 * a document cut short, or a payload of another shape is refused with the reason (it stays in landing).
 */
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { RefusedFile } from '../errors.ts'

/** Parses `text` (default: the file's content) with `schema`; `what` names the payload in refusals. */
export async function readJsonPayload<S extends z.ZodType>(file: string, schema: S, what: string, text?: string): Promise<z.infer<S>> {
  // A byte order mark in front of the document is still the document.
  text = (text ?? (await readFile(file, 'utf8'))).replace(/^\uFEFF/, '')
  if (!text.trim()) throw new RefusedFile('the file is empty')
  if (/^\s*</.test(text)) throw new RefusedFile(`an HTML page (a sign-in page?) instead of the ${what} JSON`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new RefusedFile(`not a complete JSON document (${text.length} bytes; truncated?)`)
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new RefusedFile(`not a ${what}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`)
  return parsed.data
}
