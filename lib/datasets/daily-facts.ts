/**
 * @module Small fact datasets of API sources (daily metrics, lists, campaign reports): staging NDJSON of
 * every extract → one curated CSV per dataset, one row per natural key, the newest extract winning (an
 * API re-serves recent days restated; older extracts keep the days a shorter window no longer covers),
 * then an upsert of that CSV into its warehouse table. The CSV goes through papaparse both ways, so
 * quotes and newlines in names round-trip.
 */
import { readFile } from 'node:fs/promises'
import Papa from 'papaparse'
import type { Context } from '../context.ts'
import { exists } from '../lake/lake.ts'
import { newestValueWins } from '../lake/merge.ts'
import { describePromotion, type PromoteSummary } from '../lake/promote.ts'
import { withBulkWriter } from '../warehouse/bulk.ts'
import { changedCurated, markLoaded } from '../warehouse/loaded.ts'

export type FactValue = string | number | null

export interface FactSpec {
  /** Staging dataset the rows come from, and the curated file name (`<dataset>.csv`). */
  dataset: string
  /** Natural key columns: one curated row (and one warehouse row) per key. */
  key: readonly string[]
  /** Value columns, in curated and warehouse order. */
  values: readonly string[]
  /** Integer columns (everything else loads as text). */
  integers?: readonly string[]
  /** Warehouse table and fixed columns every row of this source gets there (e.g. platform). */
  table: string
  fixed?: Record<string, string>
  /** Column holding the business date (for the newest date a load reports). */
  dateColumn?: string
}

const file = (spec: FactSpec) => `${spec.dataset}.csv`

/**
 * Rebuilds the curated CSV of each dataset from all of its staging files; returns the rows written per
 * dataset. A repeated value keeps its first extraction time, so a daily re-read of unchanged days leaves
 * the curated bytes (and the warehouse) as they were.
 */
export async function curateFacts(ctx: Context, source: string, specs: readonly FactSpec[]): Promise<Record<string, number>> {
  const written: Record<string, number> = {}
  for (const spec of specs) {
    const staged = await ctx.lake.list('staging', source, spec.dataset)
    if (!staged.length) continue
    const rows = await newestValueWins<Record<string, FactValue>>(
      staged,
      (r) => JSON.stringify(spec.key.map((k) => r[k])),
      (r) => spec.values.map((v) => r[v] ?? null),
    )
    rows.sort((a, b) =>
      compareKeys(
        spec.key.map((k) => a[k]),
        spec.key.map((k) => b[k]),
      ),
    )
    const columns = [...spec.key, ...spec.values, 'extracted_at']
    const csv = Papa.unparse(
      { fields: columns, data: rows.map((r) => columns.map((c) => (c === 'extracted_at' ? r._extracted_at : (r[c] ?? null)))) },
      { newline: '\n' },
    )
    const out = await ctx.lake.curatedWriter(source, file(spec))
    await out.write(`${csv}\n`)
    await ctx.lake.replaceCurated(source, ctx.lake.curatedPath(source, file(spec)), await out.finish())
    written[spec.dataset] = rows.length
  }
  return written
}

function compareKeys(a: FactValue[], b: FactValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = String(a[i] ?? '')
    const y = String(b[i] ?? '')
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

/** True when a dataset has staging files but no curated file yet (a crash between promote and curate). */
export async function curatedMissing(ctx: Context, source: string, specs: readonly FactSpec[]): Promise<boolean> {
  for (const spec of specs) {
    if ((await ctx.lake.list('staging', source, spec.dataset)).length && !(await exists(ctx.lake.curatedPath(source, file(spec))))) return true
  }
  return false
}

/**
 * Upserts every curated dataset whose bytes changed since its last load into its table, in one
 * transaction; an empty cell is NULL (not reported), never 0.
 */
export async function loadFacts(ctx: Context, source: string, specs: readonly FactSpec[]) {
  const pending = await changedCurated(
    ctx.wh.db,
    source,
    specs.map((spec) => ({ name: spec.dataset, path: ctx.lake.curatedPath(source, file(spec)), spec })),
  )
  if (!pending.length) return { status: 'skipped' as const, message: 'curated data unchanged since the last load' }
  let rowsIn = 0
  let newest: string | null = null
  const { changes } = await withBulkWriter(ctx.config.warehouseFile, async (w) => {
    for (const { path, spec } of pending) {
      const fixed = Object.entries(spec.fixed ?? {})
      const put = w.upsert({
        table: spec.table,
        key: [...spec.key, ...fixed.map(([c]) => c)],
        measures: spec.values,
        lineage: ['extracted_at', 'run_id'],
      })
      const parsed = Papa.parse<Record<string, string>>(await readFile(path, 'utf8'), { header: true, skipEmptyLines: true })
      const ints = new Set(spec.integers ?? [])
      const cell = (c: string, v: string | undefined) => (v === undefined || v === '' ? null : ints.has(c) ? Number(v) : v)
      for (const r of parsed.data) {
        rowsIn++
        put([...spec.key.map((k) => cell(k, r[k])), ...fixed.map(([, v]) => v), ...spec.values.map((c) => cell(c, r[c])), r.extracted_at, ctx.runId])
        const d = spec.dateColumn ? r[spec.dateColumn] : undefined
        if (d && (!newest || d > newest)) newest = d
      }
    }
  })
  await markLoaded(ctx.wh.db, source, pending, newest)
  return { status: 'ok' as const, filesIn: pending.length, rowsIn, rowsOut: changes, message: `${changes} of ${rowsIn} rows inserted or changed` }
}

/**
 * Why a business date cannot be in an extract taken at `extractedAt` (a day after it, allowing for time
 * zones), or null: such a row is quarantined, never loaded as the future.
 */
export function afterExtraction(date: string, extractedAt: string): string | null {
  const limit = new Date(Date.parse(extractedAt) + 86_400_000).toISOString().slice(0, 10)
  return date > limit ? `${date} is after the extract was taken (${extractedAt})` : null
}

/** A cleaner's outcome from its promotion summary and what it curated (the same for every API source). */
export function cleanOutcome(s: PromoteSummary, curated: Record<string, number> | null) {
  const done =
    curated && Object.keys(curated).length
      ? `curated ${Object.entries(curated)
          .map(([k, n]) => `${n} ${k} rows`)
          .join(', ')}`
      : undefined
  return {
    status: s.refused.length ? ('failed' as const) : s.filesIn === 0 ? ('skipped' as const) : ('ok' as const),
    severity: s.refused.length || s.rowsQuarantined ? ('medium' as const) : undefined,
    message: [done, describePromotion(s)].filter(Boolean).join('; ') || (s.filesIn === 0 ? 'nothing new in landing' : undefined),
    filesIn: s.filesIn,
    filesOut: s.filesOut,
    rowsIn: s.rowsIn,
    rowsOut: s.rowsOut,
    rowsQuarantined: s.rowsQuarantined,
  }
}

/** Curates when something new was promoted, or when a dataset's curated file is missing (healing a crash). */
export async function curateIfNeeded(ctx: Context, source: string, s: PromoteSummary, specs: readonly FactSpec[]) {
  return s.filesOut > 0 || (await curatedMissing(ctx, source, specs)) ? curateFacts(ctx, source, specs) : null
}
