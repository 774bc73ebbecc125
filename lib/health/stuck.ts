/**
 * @module Files stuck in a zone: landing files the cleaner never promoted (older than a day, so a run
 * in progress is not counted) and landing files it refused, with the reason. Read from the raw zone's
 * hash ledger; a file is hashed only when its name is not in the ledger (renamed copies of known bytes).
 */
import { stat } from 'node:fs/promises'
import { sha256File } from '../lake/hash.ts'
import type { Lake } from '../lake/lake.ts'

export interface StuckFiles {
  /** Landing files never promoted to raw. */
  landing: { file: string; dataset: string; since: string }[]
  /** Landing files the cleaner refused (they stay in landing until fixed or re-exported). */
  refused: { file: string; reason: string; at: string }[]
}

const GRACE_MS = 86_400_000

export async function stuckFiles(lake: Lake, source: string, now = new Date()): Promise<StuckFiles> {
  const ledger = await lake.ledger('raw', source)
  const entries = ledger.values()
  const known = new Set(entries.map((e) => e.file))
  const landing: StuckFiles['landing'] = []
  for (const f of await lake.list('landing', source)) {
    if (known.has(f.name) || f.name.endsWith('.tmp')) continue
    const since = f.extractedAt ?? (await stat(f.path)).mtime
    if (now.getTime() - since.getTime() < GRACE_MS) continue
    if (ledger.get(await sha256File(f.path))) continue
    landing.push({ file: f.name, dataset: f.dataset, since: since.toISOString() })
  }
  const refused = entries.filter((e) => e.status === 'refused').map((e) => ({ file: e.file, reason: e.reason ?? 'refused', at: e.at }))
  return { landing, refused }
}
