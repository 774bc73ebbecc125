/**
 * @module Hand-exported files into landing. The dataset is decided by content (the source's cleaner
 * classifies the head of the file), never by name; the extraction time is the `YYYYMMDD_HHMMSS` in
 * the file's or its folder's name, else the given time, else now — "newest extract wins" depends on it.
 */
import { open, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Services } from './context.ts'
import { AppError } from './errors.ts'
import { parseStamp } from './lake/zones.ts'
import type { Registry } from './registry.ts'

export interface Upload {
  /** File name as given (may include folders, whose stamp counts too). */
  name: string
  /** The content, for uploads that arrive in memory (HTTP)… */
  bytes?: Uint8Array
  /** …or a file on disk (CLI), copied into landing without being read whole… */
  path?: string
  /** …and moved rather than copied when it is a temp file of ours (an HTTP upload). */
  temp?: boolean
}

export interface Landed {
  file: string
  dataset: string
  path: string
  extractedAt: string
}

const HEAD_BYTES = 64 * 1024

export function looksBinary(head: Uint8Array): boolean {
  return head.subarray(0, 8000).includes(0)
}

export async function importFiles(
  services: Services,
  registry: Registry,
  source: string,
  uploads: Upload[],
  opts: { extractedAt?: Date } = {},
): Promise<Landed[]> {
  const cleaner = registry.sources.get(source)?.steps.clean
  if (!cleaner?.classify) throw new AppError('BadRequest', `source '${source}' does not take imported files`)
  // Classify everything first so one unrecognised file lands nothing.
  const heads = await Promise.all(uploads.map(readHead))
  const plan = uploads.map((u, i) => {
    const { head, size } = heads[i]
    // Binary content is only taken when the source's classifier recognises it (TikTok's export is a ZIP).
    const dataset = size === 0 ? null : cleaner.classify!(Buffer.from(head).toString('utf8'))
    if (!dataset) {
      const problem = size === 0 ? 'the file is empty' : looksBinary(head) ? 'binary content (NUL bytes), not a text export' : 'its content matches no known export of this source'
      throw new AppError('BadRequest', `cannot import ${u.name} into ${source}: ${problem}`, { file: u.name })
    }
    const stamped = parseStamp(path.basename(u.name)) ?? parseStamp(path.basename(path.dirname(u.name)))
    return { u, dataset, extractedAt: stamped ?? opts.extractedAt ?? new Date() }
  })
  const landed: Landed[] = []
  for (const { u, dataset, extractedAt } of plan) {
    const name = path.basename(u.name)
    const file = u.bytes ? await services.lake.land(source, dataset, name, u.bytes, extractedAt) : await services.lake.landFile(source, dataset, name, u.path!, extractedAt, { move: u.temp })
    services.log.info({ source, dataset, file: path.basename(file) }, 'imported into landing')
    landed.push({ file: u.name, dataset, path: file, extractedAt: extractedAt.toISOString() })
  }
  return landed
}

/** The first bytes of an upload (what classification looks at) and its size. */
async function readHead(u: Upload): Promise<{ head: Uint8Array; size: number }> {
  if (u.bytes) return { head: u.bytes.subarray(0, HEAD_BYTES), size: u.bytes.length }
  const fh = await open(u.path!, 'r')
  try {
    const buf = Buffer.alloc(HEAD_BYTES)
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0)
    return { head: buf.subarray(0, bytesRead), size: (await fh.stat()).size }
  } finally {
    await fh.close()
  }
}

/** Files named on the command line, checked to exist and be files. */
export async function readUploads(files: string[]): Promise<Upload[]> {
  return Promise.all(
    files.map(async (f) => {
      if (!(await stat(f)).isFile()) throw new Error(`${f} is not a file`)
      return { name: f, path: f }
    }),
  )
}
