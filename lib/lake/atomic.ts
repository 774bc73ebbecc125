/**
 * @module Atomic writes: every lake file is written to a temp file in the same folder, then renamed,
 * so a crash never leaves half a file under a real name. Everything is written for its owner only
 * (files 0600, folders 0700): the lake holds the label's earnings.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { randomBytes } from 'node:crypto'

export const FILE_MODE = 0o600
export const DIR_MODE = 0o700

/** `.<name>.<pid>-<random>.tmp`: hidden from lake listings, and removable at start once its pid is gone (sweep.ts). */
export function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = FILE_MODE) {
  await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE })
  const tmp = tempName(file)
  try {
    await writeFile(tmp, data, { mode })
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

const CHUNK = 1 << 20

/** A streaming writer whose output appears under `file` only on `commit()`. */
export class AtomicWriter {
  readonly tmp: string
  private stream: WriteStream
  private failed: Error | null = null
  // Text is encoded straight into a 1 MB buffer: joining millions of small strings instead cost more
  // (and more garbage) than writing the bytes.
  private buffer = Buffer.allocUnsafe(CHUNK)
  private used = 0
  // Chunks the stream has finished writing, reused: a fresh 1 MB buffer per swap left tens of MB of
  // written-out buffers waiting for a major GC on every large file (measured: 35–75 MB during a clean).
  private spare: Buffer<ArrayBuffer>[] = []

  private constructor(readonly file: string) {
    this.tmp = tempName(file)
    this.stream = createWriteStream(this.tmp, { highWaterMark: 1 << 20, mode: FILE_MODE })
    this.stream.on('error', (err) => (this.failed = err))
  }

  static async open(file: string): Promise<AtomicWriter> {
    await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE })
    return new AtomicWriter(file)
  }

  /** For writers opened lazily inside a hot loop. */
  static openSync(file: string): AtomicWriter {
    mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE })
    return new AtomicWriter(file)
  }

  /**
   * Buffers small writes into 1 MB chunks: per-line stream writes dominate large files otherwise.
   * Returns a promise only when it flushed, so hot loops await once per megabyte, not once per line.
   */
  write(text: string): Promise<void> | undefined {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (text.length * 3 <= CHUNK - this.used) {
      this.used += this.buffer.write(text, this.used)
      return undefined
    }
    // Everything below is synchronous up to the returned promise, so writes never reorder.
    let ok = this.swap()
    if (text.length * 3 > CHUNK) ok = this.stream.write(text) && ok
    else this.used += this.buffer.write(text, this.used)
    return ok ? undefined : this.drained()
  }

  /** `write` for bytes as they are (copied before it returns): records copied from another lake file. */
  writeBytes(bytes: Uint8Array): Promise<void> | undefined {
    if (bytes.length <= CHUNK - this.used) {
      this.buffer.set(bytes, this.used)
      this.used += bytes.length
      return undefined
    }
    let ok = this.swap()
    if (bytes.length > CHUNK) ok = this.stream.write(Buffer.from(bytes)) && ok
    else {
      this.buffer.set(bytes, 0)
      this.used = bytes.length
    }
    return ok ? undefined : this.drained()
  }

  /** Hands the filled part of the buffer to the stream; false when the stream wants a drain. */
  private swap(): boolean {
    if (this.failed) throw this.failed
    if (this.used === 0) return true
    // The stream keeps the chunk until it is written, so the next writes go to a fresh buffer.
    const full = this.buffer
    const chunk = full.subarray(0, this.used)
    this.buffer = this.spare.pop() ?? Buffer.allocUnsafe(CHUNK)
    this.used = 0
    return this.stream.write(chunk, (err) => {
      if (!err && this.spare.length < 2) this.spare.push(full)
    })
  }

  private drained(): Promise<void> {
    return new Promise<void>((r) => this.stream.once('drain', r))
  }

  private async flush(): Promise<void> {
    if (!this.swap()) await this.drained()
  }

  private async close(): Promise<void> {
    await this.flush()
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()))
    })
    if (this.failed) throw this.failed
  }

  /** Finishes the temp file; the caller renames it (see `commit`) or inspects it first. */
  async finish(): Promise<string> {
    await this.close()
    return this.tmp
  }

  async commit(): Promise<void> {
    await this.close()
    await rename(this.tmp, this.file)
  }

  async abort(): Promise<void> {
    this.stream.destroy()
    await rm(this.tmp, { force: true })
  }
}
