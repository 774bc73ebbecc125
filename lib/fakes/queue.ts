/**
 * @module Scripted misbehaviour for any fake upstream: the next requests whose path matches get the
 * queued answers, in order, before normal service resumes (throttles, outages, malformed bodies, a
 * token revoked mid-run). A fake mounts `queue.middleware` first and exposes `queue.fail`.
 */
import type { Context, MiddlewareHandler } from 'hono'

export type Answer = (c: Context) => Response | Promise<Response>

export interface AnswerQueue {
  middleware: MiddlewareHandler
  fail(path: RegExp, ...answers: Answer[]): void
  /** Requests seen, as `METHOD /path?query` (for assertions). */
  requests: string[]
}

export function answerQueue(): AnswerQueue {
  const queued: { path: RegExp; answer: Answer }[] = []
  const requests: string[] = []
  return {
    requests,
    fail(path, ...answers) {
      for (const answer of answers) queued.push({ path, answer })
    },
    async middleware(c, next) {
      const url = new URL(c.req.url)
      requests.push(`${c.req.method} ${url.pathname}${url.search}`)
      const i = queued.findIndex((q) => q.path.test(url.pathname))
      if (i >= 0) return queued.splice(i, 1)[0].answer(c)
      await next()
    },
  }
}

/** The clock fakes' tokens and quotas run on (one for every fake: lib/clock.ts). */
export { FakeClock } from '../clock.ts'
