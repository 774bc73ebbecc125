/**
 * @module KPI results are cached until the next load. In-process loads bump a counter; loads by another
 * process (the CLI while the server runs) change SQLite's `PRAGMA data_version` on this connection.
 */
let localVersion = 0

export function bumpDataVersion(): void {
  localVersion++
}

export function dataVersion(sqlite: { pragma(s: string, o: { simple: true }): unknown }): string {
  return `${localVersion}.${String(sqlite.pragma('data_version', { simple: true }))}`
}

export class KpiCache<T> {
  private entries = new Map<string, { version: string; value: T }>()
  get(key: string, version: string): T | undefined {
    const e = this.entries.get(key)
    return e && e.version === version ? e.value : undefined
  }
  set(key: string, version: string, value: T) {
    if (this.entries.size > 5000) this.entries.clear()
    this.entries.set(key, { version, value })
  }
}
