/**
 * @module Atomic writes: every lake file is written to a temp file in the same folder, then renamed,
 * so a crash never leaves half a file under a real name.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { randomBytes } from 'node:crypto'

function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`)
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number) {
  await mkdir(path.dirname(file), { recursive: true })
  const tmp = tempName(file)
  try {
    await writeFile(tmp, data, { mode })
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

/** A streaming writer whose output appears under `file` only on `commit()`. */
export class AtomicWriter {
  readonly tmp: string
  private stream: WriteStream
  private failed: Error | null = null
  private buffer: string[] = []
  private buffered = 0

  private constructor(readonly file: string) {
    this.tmp = tempName(file)
    this.stream = createWriteStream(this.tmp, { highWaterMark: 1 << 20 })
    this.stream.on('error', (err) => (this.failed = err))
  }

  static async open(file: string): Promise<AtomicWriter> {
    await mkdir(path.dirname(file), { recursive: true })
    return new AtomicWriter(file)
  }

  /** For writers opened lazily inside a hot loop. */
  static openSync(file: string): AtomicWriter {
    mkdirSync(path.dirname(file), { recursive: true })
    return new AtomicWriter(file)
  }

  /**
   * Buffers small writes into ~1 MB chunks: per-line stream writes dominate large files otherwise.
   * Returns a promise only when it flushed, so hot loops await once per megabyte, not once per line.
   */
  write(text: string): Promise<void> | undefined {
    this.buffer.push(text)
    this.buffered += text.length
    return this.buffered >= 1 << 20 ? this.flush() : undefined
  }

  private async flush(): Promise<void> {
    if (this.failed) throw this.failed
    if (this.buffered === 0) return
    const chunk = this.buffer.join('')
    this.buffer = []
    this.buffered = 0
    if (!this.stream.write(chunk)) await new Promise<void>((r) => this.stream.once('drain', r))
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
