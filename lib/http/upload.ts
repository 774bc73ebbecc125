/**
 * @module Multipart uploads streamed to disk (busboy), never held whole in memory: each file goes to a
 * dot-named temp file in the given folder (never listed as landing data) while the whole body is
 * counted against a limit; over the limit, everything received so far is deleted and the request is
 * refused with 413. The caller moves the temp files into landing or deletes them.
 */
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import busboy from 'busboy'
import { AppError } from '../errors.ts'

export interface Received {
  /** The file name the client gave, checked to be a plain name. */
  name: string
  /** The temp file holding its bytes. */
  path: string
  bytes: number
}

const FILE_FIELDS = new Set(['file', 'files'])
// A plain file name: no folders, no leading dot, no control characters.
const PLAIN_NAME = /^[^./\\\0-\x1f][^/\\\0-\x1f]{0,199}$/

/** Checks a client-given file name before any path is built from it. */
export function plainFileName(name: string): string {
  if (!PLAIN_NAME.test(name) || name.includes('..')) {
    throw new AppError('BadRequest', `file name '${name.slice(0, 80)}' refused: a plain name without folders, '..' or a leading dot`, { field: 'file' })
  }
  return name
}

const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`

/**
 * Receives the multipart body of `req` into temp files under `dir`, chunk by chunk with backpressure.
 * Rejects with an AppError (400/413/415) after removing what it wrote.
 */
export async function receiveFiles(req: Request, dir: string, maxBytes: number): Promise<Received[]> {
  const type = req.headers.get('content-type') ?? ''
  if (!/^multipart\/form-data\b/i.test(type)) {
    throw new AppError('UnsupportedMediaType', "send multipart/form-data with field 'file'", { field: 'file' })
  }
  const declared = Number(req.headers.get('content-length'))
  const tooLarge = () => new AppError('PayloadTooLarge', `upload refused: larger than BEDROT_MAX_UPLOAD_MB (${mb(maxBytes)})`, { limitBytes: maxBytes })
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge()
  const body = req.body ? Readable.fromWeb(req.body as import('node:stream/web').ReadableStream) : null
  if (!body) throw new AppError('BadRequest', "no file: send multipart form-data with field 'file'", { field: 'file' })

  await mkdir(dir, { recursive: true, mode: 0o700 })
  const received: Received[] = []
  const temps: string[] = []
  const writes: Promise<void>[] = []
  let refusal: AppError | null = null
  let total = 0
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length
      done(total > maxBytes ? tooLarge() : null, chunk)
    },
  })
  // preservePath: busboy would strip folders silently; a name with folders is refused instead.
  const parser = busboy({ headers: { 'content-type': type }, preservePath: true, limits: { files: 20, fields: 20, fieldSize: 64 * 1024, fileSize: maxBytes } })
  parser.on('file', (field, stream, info) => {
    if (!FILE_FIELDS.has(field) || refusal) return void stream.resume()
    let name: string
    try {
      name = plainFileName(info.filename ?? '')
    } catch (err) {
      refusal = err as AppError
      return void stream.resume()
    }
    const tmp = path.join(dir, `.upload-${randomBytes(6).toString('hex')}.tmp`)
    temps.push(tmp)
    const entry = { name, path: tmp, bytes: 0 }
    received.push(entry)
    stream.on('data', (c: Buffer) => (entry.bytes += c.length))
    writes.push(pipeline(stream, createWriteStream(tmp, { mode: 0o600, flags: 'wx' })))
  })
  try {
    await pipeline(body, counter, parser)
    await Promise.all(writes)
    if (refusal) throw refusal
    if (!received.length) throw new AppError('BadRequest', "no file: send multipart form-data with field 'file'", { field: 'file' })
    return received
  } catch (err) {
    body.destroy()
    await Promise.allSettled(writes)
    await Promise.all(temps.map((t) => rm(t, { force: true })))
    if (err instanceof AppError) throw err
    throw new AppError('BadRequest', `upload failed: ${(err as Error).message}`)
  }
}
