/**
 * @module Reading an upstream body with bounds: a size cap (counted as bytes arrive, not trusted from
 * Content-Length) and a stall timeout that restarts with every chunk, so a body that stops sending
 * fails in bounded time instead of hanging a run. Failures are typed so the client knows which to retry.
 */
import { once } from 'node:events'
import type { WriteStream } from 'node:fs'

export class BodyError extends Error {
  constructor(
    /** `stall` and `reset` are transient (retried); `too_large` is not. */
    readonly reason: 'stall' | 'reset' | 'too_large',
    message: string,
  ) {
    super(message)
  }
}

export interface BodyLimits {
  maxBytes: number
  stallMs: number
  /** Aborts the underlying request, so a stalled socket is closed rather than left open. */
  abort: () => void
}

const mb = (n: number) => `${Math.round((n / 2 ** 20) * 10) / 10} MB`

/** Streams the body chunk by chunk into `sink`; resolves with the byte count. */
export async function readBody(res: Response, limits: BodyLimits, sink: (chunk: Uint8Array) => void | Promise<void>): Promise<number> {
  const declared = Number(res.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    limits.abort()
    throw new BodyError('too_large', `body of ${mb(declared)} is over the ${mb(limits.maxBytes)} limit`)
  }
  if (!res.body) return 0
  const reader = res.body.getReader()
  let total = 0
  let timer: NodeJS.Timeout | undefined
  try {
    for (;;) {
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new BodyError('stall', `body stalled: nothing received for ${limits.stallMs} ms after ${total} bytes`)), limits.stallMs)
      })
      let chunk: ReadableStreamReadResult<Uint8Array>
      try {
        chunk = await Promise.race([reader.read(), stalled])
      } catch (err) {
        if (err instanceof BodyError) throw err
        const cause = (err as { cause?: { message?: string } }).cause?.message
        throw new BodyError('reset', `connection reset mid-body after ${total} bytes (${cause ?? (err as Error).message})`)
      } finally {
        clearTimeout(timer)
      }
      if (chunk.done) return total
      total += chunk.value.byteLength
      if (total > limits.maxBytes) throw new BodyError('too_large', `body is over the ${mb(limits.maxBytes)} limit`)
      await sink(chunk.value)
    }
  } catch (err) {
    limits.abort()
    reader.cancel().catch(() => {})
    throw err
  }
}

/** A sink that writes into a file stream, waiting when the disk is slower than the network. */
export function fileSink(out: WriteStream): (chunk: Uint8Array) => Promise<void> | undefined {
  return (chunk) => (out.write(chunk) ? undefined : once(out, 'drain').then(() => undefined))
}
