/**
 * @module Hand-exported files into landing. The dataset is decided by content (the source's cleaner
 * classifies the head of the file), never by name. The extraction time is the `YYYYMMDD_HHMMSS` in
 * the file's or its folder's name, else the given time, else what the file's content says (its newest
 * business date, from the cleaner's `extractedAtFromContent`): never "now" for a source that can date
 * its content, since an old file stamped now would overwrite later restatements. Sources without that
 * hook still fall back to now. A time in the future (beyond a small clock allowance) is refused, not
 * trusted: it would win "newest extract wins" for good.
 */
import { open, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Services } from './context.ts'
import { AppError } from './errors.ts'
import { isFutureStamp, parseStamp } from './lake/zones.ts'
import { RefusedFile } from './errors.ts'
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
  opts: { extractedAt?: Date; now?: Date } = {},
): Promise<Landed[]> {
  const cleaner = registry.sources.get(source)?.steps.clean
  if (!cleaner?.classify) throw new AppError('BadRequest', `source '${source}' does not take imported files`)
  // Classify everything first so one unrecognised file lands nothing.
  const heads = await Promise.all(uploads.map(readHead))
  const now = opts.now ?? new Date()
  const refuse = (u: Upload, why: string) => new AppError('UnusableFile', `cannot import ${u.name} into ${source}: ${why}`, { file: u.name })
  const classified = uploads.map((u, i) => {
    const { head, size } = heads[i]
    // Binary content is only taken when the source's classifier recognises it (TikTok's export is a ZIP).
    const dataset = size === 0 ? null : cleaner.classify!(Buffer.from(head).toString('utf8'))
    if (!dataset) {
      const problem =
        size === 0
          ? 'the file is empty'
          : looksBinary(head)
            ? 'binary content (NUL bytes), not a text export'
            : 'its content matches no known export of this source'
      throw refuse(u, problem)
    }
    return { u, dataset }
  })
  const plan = []
  for (const { u, dataset } of classified) {
    const stamped = parseStamp(path.basename(u.name)) ?? parseStamp(path.basename(path.dirname(u.name)))
    let extractedAt = stamped ?? opts.extractedAt ?? null
    if (!extractedAt && cleaner.extractedAtFromContent) {
      const fromContent = await cleaner.extractedAtFromContent(dataset, { path: u.path, bytes: u.bytes }).catch((err: unknown) => {
        throw refuse(u, err instanceof RefusedFile ? err.message : `cannot read its content: ${err instanceof Error ? err.message : String(err)}`)
      })
      if (!fromContent) throw refuse(u, 'no extraction time: its name has no YYYYMMDD_HHMMSS stamp and its content no business date; pass --extracted-at')
      extractedAt = fromContent
    }
    // A source that cannot date its files by content (no cleaner hook yet) keeps the old fallback.
    extractedAt ??= now
    if (isFutureStamp(extractedAt, now)) {
      throw refuse(
        u,
        `its extraction time ${extractedAt.toISOString()} is in the future (now is ${now.toISOString()}); a wrong stamp would win "newest extract wins" for good`,
      )
    }
    plan.push({ u, dataset, extractedAt })
  }
  const landed: Landed[] = []
  for (const { u, dataset, extractedAt } of plan) {
    const name = path.basename(u.name)
    const file = u.bytes
      ? await services.lake.land(source, dataset, name, u.bytes, extractedAt)
      : await services.lake.landFile(source, dataset, name, u.path!, extractedAt, { move: u.temp })
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
