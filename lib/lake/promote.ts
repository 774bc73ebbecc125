/**
 * @module landing → raw → staging for one source, file by file, streamed. A file whose bytes were
 * already promoted (hash ledger) is skipped. A file that is not what it claims (RefusedFile) is
 * refused with its reason: it stays in landing, its partial outputs are removed, and nothing of it
 * reaches staging. Rows that fail validation go to quarantine; the good rows continue.
 */
import path from 'node:path'
import type { Context } from '../context.ts'
import { RefusedFile } from '../errors.ts'
import { AtomicWriter } from './atomic.ts'
import { csvLine } from './lines.ts'
import { fileFingerprint, sha256File } from './hash.ts'
import type { LakeFile } from './lake.ts'
import { isFutureStamp } from './zones.ts'

export interface Lineage {
  _landing_file: string
  _extracted_at: string
  _run_id: string
}

/**
 * Where a file handler sends what it reads. Writes return a promise only when they flushed a buffer:
 * `await` it (awaiting `undefined` is free), so a million-line file costs a few hundred awaits.
 */
export interface PromoteSink {
  readonly lineage: Lineage
  /** A validated record as read, with lineage (raw zone). */
  raw(record: Record<string, unknown>): Promise<void> | undefined
  /**
   * A raw record given as the members of a JSON object without its braces (`"a":1,"b":"x"`): hot paths
   * build JSON text without an intermediate object; the lineage members are appended here.
   */
  rawMembers(members: string): Promise<void> | undefined
  /** A raw record given as bytes: `{` and the members, as an earlier raw file holds them; the lineage is appended here. */
  rawHead(bytes: Uint8Array): Promise<void> | undefined
  /** Where this file's raw records go when committed. */
  readonly rawPath: string
  /** A typed, normalised row (staging zone, NDJSON), into the named staging dataset. */
  staging(dataset: string, row: Record<string, unknown>): Promise<void> | undefined
  /** A typed, normalised row as CSV (staging zone), for datasets too large for NDJSON round trips. */
  stagingCsv(dataset: string, header: readonly string[], line: string): Promise<void> | undefined
  /** One staging CSV row from three parts: text, bytes taken from another staging file, text (with the newline). */
  stagingCsvParts(dataset: string, header: readonly string[], head: string, middle: Uint8Array, tail: string): Promise<void> | undefined
  quarantine(line: number | null, reason: string, record?: unknown): void
  /** The path the named staging dataset's file of this landing file gets when committed. */
  stagingPath(dataset: string, ext: string): string
  /** Runs once this file's raw and staging outputs are committed (for files that describe them). */
  afterCommit(fn: () => Promise<void>): void
  /** Drops everything written and quarantined for this file so far: the handler starts it over. */
  restart(): Promise<void>
}

export type FileHandler = (file: LakeFile, sink: PromoteSink) => Promise<void>

export interface PromoteSummary {
  filesIn: number
  filesOut: number
  rowsIn: number
  rowsOut: number
  rowsQuarantined: number
  refused: { file: string; reason: string }[]
}

const MAX_QUARANTINE_ROWS_PER_FILE = 1000

export async function promoteLanding(ctx: Context, source: string, handle: FileHandler): Promise<PromoteSummary> {
  const summary: PromoteSummary = { filesIn: 0, filesOut: 0, rowsIn: 0, rowsOut: 0, rowsQuarantined: 0, refused: [] }
  const ledger = await ctx.lake.ledger('raw', source)
  for (const file of await ctx.lake.list('landing', source)) {
    const fingerprint = await fileFingerprint(file.path)
    if (ledger.hashOf(fingerprint)) continue
    const hash = await sha256File(file.path)
    if (ledger.get(hash)) {
      ledger.remember(hash, fingerprint)
      continue
    }
    summary.filesIn++
    if (file.extractedAt && isFutureStamp(file.extractedAt, ctx.now)) {
      // Not recorded in the hash ledger: the file is refused on every run until someone renames or
      // removes it (or the clock catches up), instead of winning "newest extract wins" for good.
      const reason = `its extraction stamp ${file.extractedAt.toISOString()} is in the future`
      summary.refused.push({ file: file.name, reason })
      ctx.log.warn({ source, file: file.name, reason }, 'landing file refused; it stays in landing')
      continue
    }
    const extractedAt = (file.extractedAt ?? new Date(0)).toISOString()
    const lineage: Lineage = { _landing_file: file.name, _extracted_at: extractedAt, _run_id: ctx.runId }
    const suffix = `,${JSON.stringify(lineage).slice(1)}\n`
    const suffixBytes = Buffer.from(suffix)
    const stem = file.name.replace(/\.[^.]+$/, '')
    const rawPath = path.join(ctx.lake.dir('raw', source, file.dataset), `${stem}.ndjson`)
    let rawOut = AtomicWriter.openSync(rawPath)
    const stagingOut = new Map<string, AtomicWriter>()
    const quarantined: { line: number | null; reason: string; record?: unknown }[] = []
    const committed: (() => Promise<void>)[] = []
    let rows = 0
    const stagingPath = (dataset: string, ext: string) => path.join(ctx.lake.dir('staging', source, dataset), `${stem}.${ext}`)
    const stagingWriter = (dataset: string, ext: string, header?: readonly string[]) => {
      let w = stagingOut.get(dataset)
      if (!w) {
        stagingOut.set(dataset, (w = AtomicWriter.openSync(stagingPath(dataset, ext))))
        if (header) w.write(csvLine(header))
      }
      rows++
      return w
    }
    const sink: PromoteSink = {
      lineage,
      raw: (record) => rawOut.write(JSON.stringify({ ...record, ...lineage }) + '\n'),
      rawMembers: (members) => rawOut.write(`{${members}${suffix}`),
      rawHead(bytes) {
        const a = rawOut.writeBytes(bytes)
        const b = rawOut.writeBytes(suffixBytes)
        return a && b ? a.then(() => b) : (a ?? b)
      },
      rawPath,
      staging: (dataset, row) => stagingWriter(dataset, 'ndjson').write(JSON.stringify(row) + '\n'),
      stagingCsv: (dataset, header, line) => stagingWriter(dataset, 'csv', header).write(line),
      stagingCsvParts(dataset, header, head, middle, tail) {
        const w = stagingWriter(dataset, 'csv', header)
        const a = w.write(head)
        const b = w.writeBytes(middle)
        const c = w.write(tail)
        return a || b || c ? Promise.all([a, b, c]).then(() => {}) : undefined
      },
      quarantine(line, reason, record) {
        quarantined.push({ line, reason, record })
      },
      stagingPath,
      afterCommit(fn) {
        committed.push(fn)
      },
      async restart() {
        await rawOut.abort()
        for (const w of stagingOut.values()) await w.abort()
        rawOut = AtomicWriter.openSync(rawPath)
        stagingOut.clear()
        quarantined.length = 0
        committed.length = 0
        rows = 0
      },
    }
    try {
      await handle(file, sink)
    } catch (err) {
      await rawOut.abort()
      for (const w of stagingOut.values()) await w.abort()
      if (!(err instanceof RefusedFile)) throw err
      summary.refused.push({ file: file.name, reason: err.message })
      ledger.set(hash, { file: file.name, status: 'refused', reason: err.message, fingerprint })
      await recordQuarantine(ctx, source, file, [{ line: null, reason: `file refused: ${err.message}` }])
      ctx.log.warn({ source, file: file.name, reason: err.message }, 'landing file refused; it stays in landing')
      continue
    }
    await rawOut.commit()
    for (const w of stagingOut.values()) await w.commit()
    for (const fn of committed) await fn()
    await recordQuarantine(ctx, source, file, quarantined)
    ledger.set(hash, { file: file.name, status: 'promoted', outputs: [...stagingOut.keys()], fingerprint })
    summary.filesOut++
    summary.rowsIn += rows + quarantined.length
    summary.rowsOut += rows
    summary.rowsQuarantined += quarantined.length
  }
  await ledger.save()
  return summary
}

async function recordQuarantine(ctx: Context, source: string, file: LakeFile, rows: { line: number | null; reason: string; record?: unknown }[]) {
  if (!rows.length) return
  await ctx.wh.db
    .insertInto('quarantine')
    .values(
      rows.slice(0, MAX_QUARANTINE_ROWS_PER_FILE).map((r) => ({
        run_id: ctx.runId,
        source,
        dataset: file.dataset,
        file: file.name,
        line: r.line,
        reason: r.reason,
        record: r.record === undefined ? null : JSON.stringify(r.record),
      })),
    )
    .execute()
}

/** A short summary line of refusals and quarantines for a step's message. */
export function describePromotion(s: PromoteSummary): string | undefined {
  const parts = s.refused.map((r) => `refused ${r.file}: ${r.reason} (kept in landing)`)
  if (s.rowsQuarantined) parts.push(`${s.rowsQuarantined} rows quarantined`)
  return parts.length ? parts.join('; ') : undefined
}
