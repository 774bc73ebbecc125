/**
 * @module The per-source, per-zone ledger of SHA-256 content hashes (`_hashes.json`). A landing file
 * whose bytes were already promoted (or refused) is skipped, so a re-run with nothing new is a no-op,
 * whatever the file is called.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from './atomic.ts'

const Entry = z.object({
  file: z.string(),
  at: z.string(),
  status: z.enum(['promoted', 'refused']),
  reason: z.string().optional(),
  outputs: z.array(z.string()).default([]),
  /** The landing file's fingerprint when its hash was taken (lib/lake/hash.ts), to skip re-hashing it. */
  fingerprint: z.string().optional(),
})
export type LedgerEntry = z.infer<typeof Entry>
const LedgerFile = z.record(z.string(), Entry)

export class HashLedger {
  private readonly byFingerprint = new Map<string, string>()

  private constructor(
    readonly file: string,
    private entries: Record<string, LedgerEntry>,
  ) {
    for (const [hash, e] of Object.entries(entries)) if (e.fingerprint) this.byFingerprint.set(e.fingerprint, hash)
  }

  static async open(dir: string): Promise<HashLedger> {
    const file = path.join(dir, '_hashes.json')
    let text: string | null = null
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    const entries = text === null ? {} : LedgerFile.parse(JSON.parse(text))
    return new HashLedger(file, entries)
  }

  get(hash: string): LedgerEntry | undefined {
    return this.entries[hash]
  }

  /** The hash recorded for a file with this fingerprint, if its entry is still in the ledger. */
  hashOf(fingerprint: string): string | undefined {
    const hash = this.byFingerprint.get(fingerprint)
    return hash !== undefined && this.entries[hash]?.fingerprint === fingerprint ? hash : undefined
  }

  /** Records the fingerprint of a file whose bytes an entry already holds (entries from before fingerprints). */
  remember(hash: string, fingerprint: string) {
    const e = this.entries[hash]
    if (!e || e.fingerprint) return
    e.fingerprint = fingerprint
    this.byFingerprint.set(fingerprint, hash)
  }

  set(hash: string, entry: Omit<LedgerEntry, 'at' | 'outputs'> & { outputs?: string[] }) {
    this.entries[hash] = { ...entry, outputs: entry.outputs ?? [], at: new Date().toISOString() }
    if (entry.fingerprint) this.byFingerprint.set(entry.fingerprint, hash)
  }

  delete(hash: string) {
    delete this.entries[hash]
  }

  values(): LedgerEntry[] {
    return Object.values(this.entries)
  }

  async save(): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(this.entries, null, 1))
  }
}
