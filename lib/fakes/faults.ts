/**
 * @module Fault injection for fakes of upstream services: a Hono middleware any fake mounts in front
 * of its routes (`app.use('*', faults.middleware)` or a wrapper app), then scripts the next answers of
 * an endpoint: an HTTP status (429 with Retry-After, 5xx), a request that never answers (timeout), or
 * a real body cut off halfway (`reset`) or left hanging (`stall`). The demo and tests share it, so
 * every source's fake can be as unkind as the real service without writing its own.
 */
import type { MiddlewareHandler } from 'hono'

export type FaultKind = 'status' | 'timeout' | 'reset' | 'stall'

export interface FaultSpec {
  /** Exact request path, or a pattern tested against it. */
  path: string | RegExp
  kind: FaultKind
  /** For `status`: the answer's status (default 503). */
  status?: number
  /** For `status`: the Retry-After header, seconds or an HTTP date. */
  retryAfter?: number | string
  /** How many matching requests get this fault before normal service resumes (default 1). */
  times?: number
  /** For `reset`/`stall`: bytes of the real body sent first (default: half of it). */
  afterBytes?: number
}

export interface Faults {
  middleware: MiddlewareHandler
  inject(spec: FaultSpec): void
  clear(): void
  /** Faults served so far, e.g. `reset /api/x`, for assertions. */
  readonly served: string[]
}

// A stalled or unanswered request is let go after this long, so a forgotten fault never pins a socket.
const HANG_LIMIT_MS = 120_000

export function createFaults(): Faults {
  const queue: (FaultSpec & { left: number })[] = []
  const served: string[] = []
  const matches = (p: FaultSpec['path'], path: string) => (typeof p === 'string' ? p === path : p.test(path))

  const middleware: MiddlewareHandler = async (c, next) => {
    const fault = queue.find((f) => f.left > 0 && matches(f.path, c.req.path))
    if (!fault) return next()
    fault.left--
    served.push(`${fault.kind} ${c.req.path}`)
    if (fault.kind === 'status') {
      const status = fault.status ?? 503
      const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) }
      return c.text(`injected HTTP ${status}`, status as 503, headers)
    }
    if (fault.kind === 'timeout') {
      await hang(c.req.raw.signal)
      return c.text('too late', 504)
    }
    await next()
    const body = new Uint8Array(await c.res.arrayBuffer())
    const cut = Math.min(body.length, fault.afterBytes ?? Math.floor(body.length / 2))
    const signal = c.req.raw.signal
    // On @hono/node-server the socket itself is at hand: destroying it is a real reset, without the
    // server logging a stream error; elsewhere an errored body stream does the same.
    const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(body.subarray(0, cut))
        if (fault.kind === 'reset') {
          // Let the first bytes reach the socket, then break it: the client sees a body cut short.
          await new Promise((r) => setTimeout(r, 20))
          if (socket) socket.destroy()
          else controller.error(new Error('injected connection reset'))
          return
        }
        await hang(signal)
        controller.error(new Error('injected stall ended'))
      },
    })
    const headers = new Headers(c.res.headers)
    headers.delete('content-length')
    c.res = new Response(stream, { status: c.res.status, headers })
  }

  return {
    middleware,
    inject: (spec) => void queue.push({ ...spec, left: spec.times ?? 1 }),
    clear: () => void queue.splice(0),
    served,
  }
}

function hang(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, HANG_LIMIT_MS)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        resolve()
      },
      { once: true },
    )
  })
}
