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
/**
 * How long a read of another process's load may be reused. Reading data_version starts a read
 * transaction (WAL locks): ~30 µs, the largest cost of a cached KPI response under load. A load by
 * the CLI then shows within this long; loads in this process (bumpDataVersion) show at once.
 */
const RECHECK_MS = 100
// One prepared statement per connection: `db.pragma()` would prepare it again on every call.
// The version string is kept with its parts: asked on every KPI request, it is built only when one moves.
const versions = new WeakMap<PragmaSource, { stmt: { get(): unknown }; value: unknown; at: number; local: number; text: string }>()

export function dataVersion(sqlite: PragmaSource): string {
  let v = versions.get(sqlite)
  const now = performance.now()
  if (!v) versions.set(sqlite, (v = { stmt: sqlite.prepare('PRAGMA data_version').pluck(), value: undefined, at: -Infinity, local: -1, text: '' }))
  if (now - v.at >= RECHECK_MS) {
    const value = v.stmt.get()
    if (value !== v.value) v.local = -1
    v.value = value
    v.at = now
  }
  if (v.local !== localVersion) {
    v.local = localVersion
    v.text = `${localVersion}.${v.value}`
  }
  return v.text
}
