/**
 * @module Which curated files changed since their last load: a loader skips a file whose bytes it
 * already loaded (loading it again would change nothing anyway, only cost time).
 */
import type { Kysely } from 'kysely'
import { sha256File } from '../lake/hash.ts'
import { exists } from '../lake/lake.ts'
import type { DB } from './schema.ts'
import { getState, setState } from './state.ts'

export interface CuratedFile {
  name: string
  path: string
}

export async function changedCurated<F extends CuratedFile>(db: Kysely<DB>, source: string, files: F[]): Promise<(F & { hash: string })[]> {
  const pending: (F & { hash: string })[] = []
  for (const f of files) {
    if (!(await exists(f.path))) continue
    const hash = await sha256File(f.path)
    if ((await getState(db, source, `loaded:${f.name}`)) !== hash) pending.push({ ...f, hash })
  }
  return pending
}

/** Records a successful load of these files, and the newest business date they carried. */
export async function markLoaded(db: Kysely<DB>, source: string, files: (CuratedFile & { hash: string })[], newest: string | null) {
  for (const f of files) await setState(db, source, `loaded:${f.name}`, f.hash)
  if (newest) await setState(db, source, 'newest_business_date', newest)
}
