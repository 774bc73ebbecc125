/**
 * @module Staging → curated merges. Reading staging files newest extract first and keeping the first
 * row seen per natural key gives "the newest extract wins" for restated days, while keys that only
 * older extracts carry (days before a year-to-date window restarted) are kept: history is never lost.
 */
import type { LakeFile } from './lake.ts'
import { readNdjson } from './lines.ts'

export async function* newestWins<T>(files: LakeFile[], key: (row: T) => string): AsyncGenerator<T & { _extracted_at: string }> {
  const seen = new Set<string>()
  for (const file of [...files].reverse()) {
    const extractedAt = (file.extractedAt ?? new Date(0)).toISOString()
    for await (const row of readNdjson<T>(file.path)) {
      const k = key(row)
      if (seen.has(k)) continue
      seen.add(k)
      yield { ...row, _extracted_at: extractedAt }
    }
  }
}
