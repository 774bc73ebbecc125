/**
 * @module Cross-process locks on shared files (proper-lockfile: an atomic mkdir next to the file,
 * refreshed while held, taken over once stale). The server, cron and any number of CLIs share one lake:
 * a file more than one source rewrites (tidy_daily_streams.csv) is read-modified-written under this lock.
 * Within one process, callers queue on a promise first so they do not poll each other.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import lockfile from 'proper-lockfile'

const tails = new Map<string, Promise<unknown>>()

/** A holder that died leaves its lock for `STALE_MS` at most; a live holder refreshes it every STALE_MS/4. */
const STALE_MS = 10_000

export function lockPathOf(file: string): string {
  // Dot-prefixed: lake listings skip it, so a lock never passes for data.
  return path.join(path.dirname(file), `.${path.basename(file)}.lock`)
}

export async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const prev = tails.get(file) ?? Promise.resolve()
  const run = prev.then(
    () => withFileLock(file, fn),
    () => withFileLock(file, fn),
  )
  const tail = run.catch(() => undefined)
  tails.set(file, tail)
  try {
    return await run
  } finally {
    if (tails.get(file) === tail) tails.delete(file)
  }
}

async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true })
  let compromised: Error | null = null
  const release = await lockfile.lock(file, {
    realpath: false,
    lockfilePath: lockPathOf(file),
    stale: STALE_MS,
    update: STALE_MS / 4,
    // Waits out a long holder (a big rewrite) and a dead one (until its lock turns stale).
    retries: { retries: 600, factor: 1.3, minTimeout: 20, maxTimeout: 250 },
    onCompromised: (err) => {
      compromised = err
    },
  })
  try {
    const result = await fn()
    if (compromised) throw new Error(`lock on ${path.basename(file)} was lost while writing it: ${(compromised as Error).message}`)
    return result
  } finally {
    await release().catch(() => undefined)
  }
}
