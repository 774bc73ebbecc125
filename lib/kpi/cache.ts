/**
 * @module KPI results are cached until the next load. In-process loads bump a counter; loads by another
 * process (the CLI while the server runs) change SQLite's `PRAGMA data_version` on this connection.
 */
let localVersion = 0

export function bumpDataVersion(): void {
  localVersion++
}

interface PragmaSource {
  prepare(sql: string): { pluck(): { get(): unknown } }
}
// `db.pragma()` prepares its statement on every call: most of a cached KPI response's time. One
// prepared statement per connection re-reads the version on each step all the same.
const statements = new WeakMap<PragmaSource, { get(): unknown }>()

export function dataVersion(sqlite: PragmaSource): string {
  let stmt = statements.get(sqlite)
  if (!stmt) statements.set(sqlite, (stmt = sqlite.prepare('PRAGMA data_version').pluck()))
  return `${localVersion}.${String(stmt.get())}`
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
