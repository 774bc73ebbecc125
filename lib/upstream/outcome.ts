/**
 * @module How an extractor reports an upstream failure, the same way for every source (DESIGN §7):
 * a lost session is `needs_auth`/low with the command that fixes it, data that no longer looks like
 * the contract is medium, a throttle that outlasted the retries is medium (the next run simply tries
 * again), and everything else (network, 5xx that never recovered, our bugs) is high.
 */
import { authCommand } from '../credentials/store.ts'
import type { Outcome } from '../define.ts'
import { UpstreamError } from './client.ts'

export interface FailureOptions {
  account?: string
  /** Files already landed before the failure. */
  filesOut?: number
  /** What was being fetched, e.g. "Spotify analytics". */
  what?: string
}

export function upstreamFailure(source: string, err: unknown, opts: FailureOptions = {}): Outcome {
  const filesOut = opts.filesOut ?? 0
  const prefix = opts.what ? `${opts.what}: ` : ''
  const message = err instanceof Error ? err.message : String(err)
  if (!(err instanceof UpstreamError)) return { status: 'failed', severity: 'high', filesOut, message: prefix + message }
  switch (err.kind) {
    case 'needs_auth': {
      const command = authCommand(source, opts.account ?? 'default')
      return { status: 'needs_auth', severity: 'low', filesOut, message: `${prefix}${message}: log in again with \`${command}\`` }
    }
    case 'rate_limited': {
      // p-retry stamps the attempt count on the error it finally gives up with.
      const attempts = (err as { attemptNumber?: number }).attemptNumber
      const tried = attempts ? ` after ${attempts} attempt${attempts === 1 ? '' : 's'}` : ''
      const wait = err.retryAfterMs ? ` (the server asked to wait ${Math.ceil(err.retryAfterMs / 1000)} s)` : ''
      const why = `${prefix}${message}: still throttled${tried}${wait}, giving up until the next run`
      return { status: 'failed', severity: 'medium', filesOut, message: why }
    }
    case 'drift':
      return { status: 'failed', severity: 'medium', filesOut, message: prefix + message }
    default:
      return { status: 'failed', severity: 'high', filesOut, message: prefix + message }
  }
}
