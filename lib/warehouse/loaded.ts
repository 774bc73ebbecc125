/**
 * @module Which curated files changed since their last load: a loader skips a file whose bytes it
 * already loaded (loading it again would change nothing anyway, only cost time).
 */
import type { Kysely } from 'kysely'
import { fileFingerprint, sha256File } from '../lake/hash.ts'
import { exists } from '../lake/lake.ts'
import type { DB } from './schema.ts'
import { getState, setState } from './state.ts'

export interface CuratedFile {
  name: string
  path: string
}

/**
 * The curated files whose bytes differ from the last load. A file whose fingerprint (lib/lake/hash.ts)
 * is the one recorded at its last load is not read at all: a daily run with nothing new must not hash
 * a curated ledger of hundreds of MB. A touched file with the same bytes gets its new fingerprint recorded.
 */
export async function changedCurated<F extends CuratedFile>(
  db: Kysely<DB>,
  source: string,
  files: F[],
): Promise<(F & { hash: string; fingerprint: string })[]> {
  const pending: (F & { hash: string; fingerprint: string })[] = []
  for (const f of files) {
    if (!(await exists(f.path))) continue
    const fingerprint = await fileFingerprint(f.path)
    const loaded = await getState(db, source, `loaded:${f.name}`)
    if (loaded !== null && (await getState(db, source, `loaded-fingerprint:${f.name}`)) === fingerprint) continue
    const hash = await sha256File(f.path)
    if (loaded !== hash) pending.push({ ...f, hash, fingerprint })
    else await setState(db, source, `loaded-fingerprint:${f.name}`, fingerprint)
  }
  return pending
}

/** Records a successful load of these files, and the newest business date they carried. */
export async function markLoaded(db: Kysely<DB>, source: string, files: (CuratedFile & { hash: string; fingerprint?: string })[], newest: string | null) {
  for (const f of files) {
    await setState(db, source, `loaded:${f.name}`, f.hash)
    await setState(db, source, `loaded-fingerprint:${f.name}`, f.fingerprint ?? '')
  }
  if (newest) await setState(db, source, 'newest_business_date', newest)
}
