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
export async function newestValueWins<T>(files: LakeFile[], key: (row: T) => string, value: (row: T) => unknown): Promise<(T & { _extracted_at: string })[]> {
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

/**
 * The same rule over rows already in memory whose own time (a download or capture time inside the
 * data, not the file's) decides which is newest: rows are folded oldest first, a changed value
 * replaces the older one and a repeated value keeps the time it was first seen. Ties keep input order.
 */
export function newestByTime<T>(rows: readonly T[], at: (r: T) => string, key: (r: T) => string, value: (r: T) => string) {
  const latest = new Map<string, { row: T; value: string; since: string }>()
  for (const r of [...rows].sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0))) {
    const k = key(r)
    const v = value(r)
    const prev = latest.get(k)
    if (prev && prev.value === v) prev.row = r
    else latest.set(k, { row: r, value: v, since: at(r) })
  }
  return latest
}

/** Every NDJSON row of the given staging files, oldest file first. */
export async function readAll<T>(files: LakeFile[]): Promise<T[]> {
  const out: T[] = []
  for (const f of files) for await (const r of readNdjson<T>(f.path)) out.push(r)
  return out
}
