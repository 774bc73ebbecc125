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

/**
 * The newest extract wins per key, like `newestWins`, but a value a newer extract merely repeats keeps
 * the extraction time of the extract that first reported it. A daily re-read of a year-to-date window
 * then leaves curated files byte for byte as they were (no rewrite, no archive copy) until a value
 * really changes. Files oldest first, as `lake.list` returns them.
 */
export async function newestValueWins<T>(
  files: LakeFile[],
  key: (row: T) => string,
  value: (row: T) => unknown,
): Promise<(T & { _extracted_at: string })[]> {
  const latest = new Map<string, { row: T; value: string; since: string }>()
  for (const file of files) {
    const extractedAt = (file.extractedAt ?? new Date(0)).toISOString()
    for await (const row of readNdjson<T>(file.path)) {
      const k = key(row)
      const v = JSON.stringify(value(row))
      const prev = latest.get(k)
      if (prev && prev.value === v) prev.row = row
      else latest.set(k, { row, value: v, since: extractedAt })
    }
  }
  return [...latest.values()].map((e) => ({ ...e.row, _extracted_at: e.since }))
}
