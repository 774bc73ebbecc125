/** @module SHA-256 of files, streamed so large inputs are never read whole. */
import { createHash } from 'node:crypto'
import { type BigIntStats, createReadStream, statSync } from 'node:fs'
import { stat } from 'node:fs/promises'

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk)
  return hash.digest('hex')
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/**
 * Identifies one version of a file without reading it: device, inode, size, mtime and ctime. Lake
 * files are replaced by rename (a new inode) and never rewritten in place, and ctime cannot be set
 * back by hand, so an equal fingerprint means the bytes hashed last time. Daily runs compare these
 * instead of re-hashing every landing and curated file (hundreds of MB once a ledger is large).
 */
export async function fileFingerprint(file: string): Promise<string> {
  return printOf(await stat(file, { bigint: true }))
}

/** The same, synchronously: one stat is a few µs, where the async one costs a thread-pool round trip. */
export function fileFingerprintSync(file: string): string {
  return printOf(statSync(file, { bigint: true }))
}

const printOf = (s: BigIntStats) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`
