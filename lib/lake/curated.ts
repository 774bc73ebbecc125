/**
 * @module Writes a whole curated CSV from rows: sorted, header first, through a temp file, the old
 * version archived only when the content changed (so re-running with nothing new touches nothing).
 */
import type { Context } from '../context.ts'
import { csvLine } from './lines.ts'

export type CuratedRow = Record<string, unknown>

export async function writeCuratedCsv(
  ctx: Pick<Context, 'lake'>,
  source: string,
  name: string,
  header: readonly string[],
  rows: CuratedRow[],
  sortBy: readonly string[],
): Promise<boolean> {
  const cmp = (a: CuratedRow, b: CuratedRow) => {
    for (const c of sortBy) {
      const x = String(a[c] ?? '')
      const y = String(b[c] ?? '')
      if (x !== y) return x < y ? -1 : 1
    }
    return 0
  }
  const out = await ctx.lake.curatedWriter(source, name)
  await out.write(csvLine(header))
  for (const r of [...rows].sort(cmp)) await out.write(csvLine(header.map((c) => r[c])))
  return ctx.lake.replaceCurated(source, ctx.lake.curatedPath(source, name), await out.finish())
}

/** An empty curated cell is "not reported": null, never 0. */
export const intOrNull = (s: string | undefined) => (s === undefined || s === '' ? null : Number(s))
