/**
 * @module The one upstream client: timeouts, retries with exponential backoff and jitter (p-retry),
 * `Retry-After`, and a classification of every response. Auth failures are never retried: a login
 * wall means a person has to log in again, and hammering it only risks a lock-out.
 */
import pRetry, { AbortError } from 'p-retry'
import type { z } from 'zod'

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
}

export interface RequestOptions extends RequestInit {
  /** Extra login-wall test on a 200 body-less check, e.g. a URL pattern of the sign-in page. */
  loginUrlPattern?: RegExp
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
  const where = new URL(res.url || 'http://x/').pathname
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location') ?? ''
    if (loginUrl.test(location)) return new UpstreamError('needs_auth', `redirected to sign-in (${where})`, res.status)
    return new UpstreamError('drift', `unexpected redirect to ${location} (${where})`, res.status)
  }
  if (res.status === 401 || res.status === 403) {
    return new UpstreamError('needs_auth', `session rejected with HTTP ${res.status} (${where})`, res.status)
  }
  if (res.status === 429) {
    return new UpstreamError('rate_limited', `rate limited (${where})`, 429, retryAfterMs(res.headers.get('retry-after')))
  }
  if (res.status >= 500) {
    return new UpstreamError('unavailable', `HTTP ${res.status} (${where})`, res.status, retryAfterMs(res.headers.get('retry-after')))
  }
  if (res.status >= 400) return new UpstreamError('bad_request', `HTTP ${res.status} (${where})`, res.status)
  if (res.redirected && loginUrl.test(new URL(res.url).pathname)) {
    return new UpstreamError('needs_auth', `redirected to sign-in (${where})`, res.status)
  }
  return null
}

export class UpstreamClient {
  constructor(private opts: UpstreamOptions) {}

  /** Fetches with retries; resolves with a usable response or rejects with an UpstreamError. */
  async request(url: string, init: RequestOptions = {}): Promise<Response> {
    const { loginUrlPattern, classifyError, ...fetchInit } = init
    const maxRetryAfter = this.opts.maxRetryAfterMs ?? 120_000
    return pRetry(
      async () => {
        let res: Response
        try {
          res = await fetch(url, { redirect: 'manual', ...fetchInit, signal: AbortSignal.timeout(this.opts.timeoutMs) })
        } catch (err) {
          const name = (err as Error).name
          const why = name === 'TimeoutError' ? `timed out after ${this.opts.timeoutMs} ms` : (err as Error).message
          throw new UpstreamError('network', `${why} (${new URL(url).pathname})`)
        }
        let problem = classify(res, loginUrlPattern)
        if (!problem) return res
        if (classifyError) problem = classifyError(res.status, (await res.text()).slice(0, 64 * 1024), res) ?? problem
        else await res.body?.cancel()
        const retryable = problem.kind === 'rate_limited' || problem.kind === 'unavailable'
        if (!retryable || (problem.retryAfterMs ?? 0) > maxRetryAfter) throw new AbortError(problem)
        throw problem
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
      throw err instanceof UpstreamError ? err : new UpstreamError('network', (err as Error).message)
    })
  }

  async text(url: string, init?: RequestOptions): Promise<string> {
    return (await this.request(url, init)).text()
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
