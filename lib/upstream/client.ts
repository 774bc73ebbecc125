/**
 * @module The one upstream client: timeouts, retries with exponential backoff and jitter (p-retry),
 * `Retry-After`, and a classification of every response. Auth failures are never retried: a login
 * wall means a person has to log in again, and hammering it only risks a lock-out.
 */
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { tempName } from '../lake/atomic.ts'
import pRetry, { AbortError } from 'p-retry'
import type { z } from 'zod'
import { BodyError, fileSink, readBody } from './body.ts'

export type UpstreamErrorKind = 'needs_auth' | 'rate_limited' | 'unavailable' | 'bad_request' | 'drift' | 'network'

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message)
  }
}

export interface UpstreamOptions {
  timeoutMs: number
  retries: number
  minBackoffMs?: number
  maxBackoffMs?: number
  /** A Retry-After longer than this fails at once instead of blocking the run. */
  maxRetryAfterMs?: number
  /** Largest body read (default 1 GB); counted as it arrives. */
  maxBodyBytes?: number
  /** A body that sends nothing for this long is a stall (default: timeoutMs). */
  bodyTimeoutMs?: number
}

export interface RequestOptions extends RequestInit {
  /** Extra login-wall test on a 200 body-less check, e.g. a URL pattern of the sign-in page. */
  loginUrlPattern?: RegExp
  /** Named in every failure message, e.g. "toolost". */
  source?: string
  /**
   * A service's own reading of an error answer (its body says more than its status: a Google 403 may be
   * an exhausted quota or a throttle, a Graph 400 an expired token). Returning nothing keeps the status rule.
   */
  classifyError?: (status: number, body: string, res: Response) => UpstreamError | null | undefined
}

const LOGIN_URL = /log-?in|sign-?in|auth/i

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined
  const secs = Number(header)
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000)
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** Classifies a response; returns null when it is usable. */
export function classify(res: Response, loginUrl: RegExp = LOGIN_URL): UpstreamError | null {
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location') ?? ''
    if (loginUrl.test(location)) return new UpstreamError('needs_auth', 'redirected to sign-in', res.status)
    return new UpstreamError('drift', `unexpected redirect to ${location}`, res.status)
  }
  if (res.status === 401 || res.status === 403) {
    return new UpstreamError('needs_auth', `session rejected with HTTP ${res.status}`, res.status)
  }
  if (res.status === 429) {
    return new UpstreamError('rate_limited', 'rate limited', 429, retryAfterMs(res.headers.get('retry-after')))
  }
  if (res.status >= 500) {
    return new UpstreamError('unavailable', `HTTP ${res.status}`, res.status, retryAfterMs(res.headers.get('retry-after')))
  }
  if (res.status >= 400) return new UpstreamError('bad_request', `HTTP ${res.status}`, res.status)
  if (res.redirected && loginUrl.test(new URL(res.url).pathname)) {
    return new UpstreamError('needs_auth', 'redirected to sign-in', res.status)
  }
  return null
}

export class UpstreamClient {
  constructor(private opts: UpstreamOptions) {}

  /**
   * One request with retries; `consume` reads the body inside the same attempt, so a body that
   * stalls or is cut off is retried like any other transient failure. Every failure message names
   * the source, the endpoint and the attempt.
   */
  private async attempt<T>(url: string, init: RequestOptions, consume: (res: Response, abort: () => void) => Promise<T>): Promise<T> {
    const { loginUrlPattern, source, classifyError, ...fetchInit } = init
    const maxRetryAfter = this.opts.maxRetryAfterMs ?? 120_000
    const tries = this.opts.retries + 1
    const where = `${source ?? new URL(url).host}: ${(fetchInit.method ?? 'GET').toUpperCase()} ${new URL(url).pathname}`
    // In place: a service's own error (classifyError) keeps its class and fields.
    const name = (err: UpstreamError, n: number) => {
      err.message = `${err.message} (${where}, attempt ${n}/${tries})`
      return err
    }
    let n = 0
    return pRetry(
      async () => {
        n++
        const controller = new AbortController()
        const abort = () => controller.abort()
        const headersTimer = setTimeout(() => controller.abort(new UpstreamError('network', `timed out after ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs)
        let res: Response
        try {
          res = await fetch(url, { redirect: 'manual', ...fetchInit, signal: controller.signal })
        } catch (err) {
          const reason = controller.signal.reason
          throw name(reason instanceof UpstreamError ? reason : new UpstreamError('network', causeOf(err)), n)
        } finally {
          clearTimeout(headersTimer)
        }
        let problem = classify(res, loginUrlPattern)
        if (problem) {
          if (classifyError) problem = classifyError(res.status, await headOf(res), res) ?? problem
          else await res.body?.cancel()
          const named = name(problem, n)
          const retryable = problem.kind === 'rate_limited' || problem.kind === 'unavailable'
          if (!retryable || (problem.retryAfterMs ?? 0) > maxRetryAfter) throw new AbortError(named)
          throw named
        }
        try {
          return await consume(res, abort)
        } catch (err) {
          if (err instanceof BodyError) {
            const e = name(new UpstreamError(err.reason === 'too_large' ? 'drift' : 'network', err.message), n)
            throw err.reason === 'too_large' ? new AbortError(e) : e
          }
          if (err instanceof UpstreamError) throw new AbortError(err)
          throw err
        }
      },
      {
        retries: this.opts.retries,
        factor: 2,
        minTimeout: this.opts.minBackoffMs ?? 500,
        maxTimeout: this.opts.maxBackoffMs ?? 30_000,
        randomize: true,
        // Retry-After is a floor the server asked for; the jittered backoff still follows it.
        onFailedAttempt: async (err) => {
          const wait = (err as unknown as UpstreamError).retryAfterMs
          if (wait && err.retriesLeft > 0) await new Promise((r) => setTimeout(r, wait))
        },
      },
    ).catch((err) => {
      throw err instanceof UpstreamError ? err : new UpstreamError('network', `${(err as Error).message} (${where})`)
    })
  }

  private limits(abort: () => void) {
    return { maxBytes: this.opts.maxBodyBytes ?? 2 ** 30, stallMs: this.opts.bodyTimeoutMs ?? this.opts.timeoutMs, abort }
  }

  /** Fetches with retries; resolves with a usable response (its body unread) or rejects with an UpstreamError. */
  async request(url: string, init: RequestOptions = {}): Promise<Response> {
    return this.attempt(url, init, async (res) => res)
  }

  /** The whole body as text, bounded by the size cap: for pages and small payloads only. */
  async text(url: string, init: RequestOptions = {}): Promise<string> {
    return this.attempt(url, init, async (res, abort) => {
      const chunks: Uint8Array[] = []
      await readBody(res, this.limits(abort), (c) => void chunks.push(c))
      return Buffer.concat(chunks).toString('utf8')
    })
  }

  /**
   * Streams the body into `dest` (a temp name beside it, renamed when complete), never holding it
   * whole; a retry starts the file again. Resolves with the byte count.
   */
  async download(url: string, dest: string, init: RequestOptions = {}): Promise<{ bytes: number }> {
    await mkdir(path.dirname(dest), { recursive: true, mode: 0o700 })
    return this.attempt(url, init, async (res, abort) => {
      const tmp = tempName(dest)
      const out = createWriteStream(tmp, { mode: 0o600 })
      const failed = new Promise<never>((_, reject) => out.once('error', reject))
      failed.catch(() => {})
      try {
        const bytes = await Promise.race([readBody(res, this.limits(abort), fileSink(out)), failed])
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())))
        await rename(tmp, dest)
        return { bytes }
      } catch (err) {
        // The stream opens its file asynchronously: wait for it to close, or the file may appear after rm.
        if (!out.closed) await new Promise<void>((resolve) => out.destroy().once('close', () => resolve()))
        await rm(tmp, { force: true })
        throw err
      }
    })
  }

  /** JSON validated with a zod schema; a payload that does not match is `drift`, never retried. */
  async json<S extends z.ZodType>(url: string, schema: S, init?: RequestOptions): Promise<{ raw: string; data: z.infer<S> }> {
    const raw = await this.text(url, init)
    let parsed: unknown
    try {
      parsed = JSON.parse(raw)
    } catch {
      throw new UpstreamError('drift', `malformed JSON from ${new URL(url).pathname} (${raw.length} bytes)`)
    }
    const result = schema.safeParse(parsed)
    if (!result.success) {
      const issue = result.error.issues[0]
      throw new UpstreamError('drift', `unexpected payload from ${new URL(url).pathname}: ${issue.path.join('.')}: ${issue.message}`)
    }
    return { raw, data: result.data }
  }
}

/** The first 64 KB of an error answer's body (what a service's own error reading needs), never more. */
async function headOf(res: Response): Promise<string> {
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = res.body?.getReader()
  if (!reader) return ''
  try {
    while (size < 64 * 1024) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
    }
  } finally {
    reader.cancel().catch(() => {})
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .slice(0, 64 * 1024)
}

/** undici hides the useful part ("other side closed", "ECONNREFUSED") in `cause`. */
function causeOf(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string; code?: string } }
  const cause = e.cause?.code ?? e.cause?.message
  return cause && cause !== e.message ? `${e.message}: ${cause}` : (e.message ?? String(err))
}
