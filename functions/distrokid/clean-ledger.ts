/**
 * @module The bank-details ledger through the zones. Promotion (landing → raw → staging) reads one
 * export; curation treats every export as a snapshot (WAREHOUSE.md "The ledger"): the newest export by
 * extraction time is authoritative for its range of reporting dates (its min…max Reporting Date), and
 * an older export supplies only the reporting dates no newer export covers. Lines dropped or restated
 * upstream therefore disappear or change here; nothing is ever summed across exports.
 *
 * A new full export mostly repeats the previous one: promotion takes the records it repeats from the
 * previous export's raw and staging files instead of parsing them (ledger-reuse.ts), and curation
 * leaves the loader a delta of the curated file (ledger-delta.ts). Both give exactly what the full
 * path gives, and fall back to it (with the reason logged) whenever they cannot be trusted.
 */
import { copyFile, mkdir, open, stat } from 'node:fs/promises'
import path from 'node:path'
import { tempName } from '../../lib/lake/atomic.ts'
import type { Context } from '../../lib/context.ts'
import { RefusedFile } from '../../lib/errors.ts'
import { missingTerminator, terminatorOf } from '../../lib/lake/complete.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import { forEachCsvRecord } from '../../lib/lake/csv-records.ts'
import { csvLine, readRecords } from '../../lib/lake/lines.ts'
import type { PromoteSink } from '../../lib/lake/promote.ts'
import { detectTextEncoding } from '../../lib/lake/text.ts'
import { exists } from '../../lib/lake/lake.ts'
import { ledgerShortcuts } from './ledger-delta.ts'
import { digestText, RecordDigests, recordsPath, stagedRange } from './ledger-digests.ts'
import { PreviousRows, StaleRows, VERIFY_EVERY, VERIFY_FIRST } from './ledger-reuse.ts'
import { LEDGER_CURATED_HEADER, LEDGER_STAGING_HEADER, ledgerCsvRow } from './ledger-csv.ts'
import { indexHeader, isLedgerHeader, LedgerReader } from './ledger.ts'

export const BANK_FILE = 'dk_bank_details.csv'
// Tabs separate fields, so they never reach a field; any other control character needs escaping.
const NEEDS_JSON_ESCAPE = /["\\\u0000-\u0008\u000a-\u001f]/

async function head(file: string, bytes = 64 * 1024): Promise<string> {
  const fh = await open(file, 'r')
  try {
    const buf = Buffer.alloc(bytes)
    const { bytesRead } = await fh.read(buf, 0, bytes, 0)
    return buf.subarray(0, bytesRead).toString('latin1')
  } finally {
    await fh.close()
  }
}

/** Refuses an export cut short: it must end with the record terminator its header line uses (a bare CR in real downloads). */
async function checkComplete(file: string): Promise<string> {
  const term = terminatorOf(await head(file))
  if (!term) throw new RefusedFile('truncated: the file has no complete record (not even a terminated header line)')
  const missing = await missingTerminator(file, term)
  if (missing) throw new RefusedFile(missing)
  return term
}

/**
 * Promotes one ledger export. `staged`: the ledger exports already in staging, oldest first; the
 * newest of them lets lines this export repeats be taken as staged instead of parsed again
 * (ledger-reuse.ts). `note` hears why that was not possible, or was abandoned.
 */
export async function promoteLedger(file: LakeFile, sink: PromoteSink, staged: LakeFile[] = [], note: (why: string) => void = () => {}) {
  try {
    await promoteOnce(file, sink, staged, note)
  } catch (err) {
    if (!(err instanceof StaleRows)) throw err
    note(`${err.message}; promoted line by line instead`)
    await sink.restart()
    await promoteOnce(file, sink, [], () => {})
  }
}

async function promoteOnce(file: LakeFile, sink: PromoteSink, staged: LakeFile[], note: (why: string) => void) {
  const encoding = await detectTextEncoding(file.path)
  const terminator = await checkComplete(file.path)
  const extractedAt = sink.lineage._extracted_at
  const notAfter = extractedAt.slice(0, 10)
  const tail = `${extractedAt}\n`
  // Real ledger lines are ~100 bytes (the fixture: 101.7 on average); 90 errs towards a larger table.
  const expectedLines = Math.ceil((await stat(file.path)).size / 90)
  const stagingFile = sink.stagingPath('ledger', 'csv')
  let reader: LedgerReader | null = null
  let digests: RecordDigests | null = null
  let previous: PreviousRows | null = null
  let keys: string[] = []
  let lineNo = 0
  let reused = 0
  try {
    for await (const line of readRecords(file.path, terminator, encoding)) {
      lineNo++
      if (!reader) {
        if (!isLedgerHeader(line)) throw new RefusedFile(`unknown ledger header: first line starts "${line.slice(0, 60)}"`)
        const names = line.replace(/^\uFEFF/, '').split('\t')
        reader = new LedgerReader(indexHeader(line), notAfter, expectedLines)
        keys = names.map((n) => `${JSON.stringify(n.trim())}:`)
        const d = (digests = new RecordDigests(line, recordsPath(stagingFile), expectedLines))
        sink.afterCommit(async () => {
          if ((await exists(stagingFile)) && (await exists(sink.rawPath))) await d.save(stagingFile, sink.rawPath)
          else d.discard()
        })
        if (staged.length) {
          const p = await PreviousRows.open(staged, stagingFile, path.dirname(sink.rawPath), line, notAfter)
          if (typeof p === 'string') note(p)
          else previous = p
        }
        continue
      }
      if (line === '') continue
      const [a, b] = digestText(line)
      let taken = previous ? previous.take(a, b) : false
      if (taken !== true && taken !== false) taken = await taken
      if (taken && ((reused++ >= VERIFY_FIRST && reused % VERIFY_EVERY !== 0) || !ledgerShortcuts.verify)) {
        // A record the previous export staged: its raw members and staging columns as they were.
        const { base, middle, date } = previous!.stagingParts()
        const n = reader.occurrence(base)
        digests!.date(date)
        const w1 = sink.rawHead(previous!.rawHead())
        const w2 = sink.stagingCsvParts('ledger', LEDGER_STAGING_HEADER, n === 1 ? base : `${base}.${n}`, middle, tail)
        if (w1) await w1
        if (w2) await w2
        digests!.push(a, b, true)
        continue
      }
      const f = line.split('\t')
      if (f.length !== keys.length) {
        sink.quarantine(lineNo, `record has ${f.length} fields, the header has ${keys.length}`, line)
        continue
      }
      // Ledger fields almost never hold a quote, backslash or control character; when the line has
      // none, every field is already a valid JSON string body and JSON.stringify per field is skipped.
      const plain = !NEEDS_JSON_ESCAPE.test(line)
      let members = keys[0] + (plain ? `"${f[0]}"` : JSON.stringify(f[0]))
      for (let i = 1; i < f.length; i++) members += `,${keys[i]}${plain ? `"${f[i]}"` : JSON.stringify(f[i])}`
      if (taken && Buffer.compare(Buffer.from(`{${members}`), previous!.rawHead()) !== 0)
        throw new StaleRows(`line ${lineNo}: its raw record differs from the one ${previous!.name} has`)
      await sink.rawMembers(members)
      const r = reader.read(f)
      if (typeof r === 'string') {
        if (taken) throw new StaleRows(`line ${lineNo} was staged before but is now quarantined (${r})`)
        sink.quarantine(lineNo, r, line)
        digests!.push(a, b, false)
        continue
      }
      const row = ledgerCsvRow(r, extractedAt)
      if (taken) {
        const { base, middle } = previous!.stagingParts()
        const n = reader.occurrences(base)
        if (`${n === 1 ? base : `${base}.${n}`}${Buffer.from(middle).toString('utf8')}${tail}` !== row)
          throw new StaleRows(`line ${lineNo} was staged differently by ${previous!.name} (older code, or digests that do not match)`)
      }
      digests!.push(a, b, true)
      digests!.date(r.reporting_date)
      await sink.stagingCsv('ledger', LEDGER_STAGING_HEADER, row)
    }
  } catch (err) {
    // A refused or restarted promotion keeps no half-written digests.
    digests?.discard()
    throw err
  } finally {
    await previous?.close()
  }
  if (!reader) throw new RefusedFile('the file is empty')
  ledgerShortcuts.reusedLines += reused
}

type Range = [string, string]
const REPORTING_DATE = /^\d{4}-\d{2}-\d{2}$/
const covered = (ranges: Range[], d: string) => ranges.some(([lo, hi]) => d >= lo && d <= hi)

/**
 * Builds the curated ledger from the staging exports (oldest first, as `lake.list` gives them) into a
 * finished temp file; returns its path and the authoritative range of each export used.
 */
export async function curateLedger(ctx: Pick<Context, 'lake'>, files: LakeFile[]): Promise<string> {
  const target = ctx.lake.curatedPath('distrokid', BANK_FILE)
  const newestFirst = [...files].reverse()
  // The date range of each export, where its record digests know it: an export whose range lies within
  // a newer one's contributes nothing and is not read (ledger-reuse.ts).
  const known = ledgerShortcuts.enabled ? await Promise.all(newestFirst.map((f) => stagedRange(f.path))) : newestFirst.map(() => null)
  const skip = newestFirst.map((_, i) => {
    const r = known[i]
    if (i === 0 || !r) return false
    if (r.length === 0) return true
    return known.slice(0, i).some((n) => n && n.length === 2 && n[0] <= r[0] && r[1] <= n[1])
  })
  if (files.length === 1 || (known[0] && skip.slice(1).every(Boolean))) {
    // One export (or one whose range holds every other's): all of it is authoritative, and its rows are
    // already curated rows.
    const tmp = tempName(target)
    await mkdir(path.dirname(target), { recursive: true })
    await copyFile(newestFirst[0].path, tmp)
    return tmp
  }
  const out = await ctx.lake.curatedWriter('distrokid', BANK_FILE)
  try {
    // Staging and curated rows are the same `csvLine` text, so the rows an export contributes are
    // copied as bytes: only the Line ID and the Reporting Date (never quoted) are looked at.
    const header = Buffer.from(csvLine(LEDGER_STAGING_HEADER).slice(0, -1))
    await out.write(csvLine(LEDGER_CURATED_HEADER))
    const ranges: Range[] = []
    for (const [i, file] of newestFirst.entries()) {
      if (skip[i]) continue
      let first = true
      let lo = '9999-99-99'
      let hi = ''
      await forEachCsvRecord(file.path, (buf, start, end) => {
        if (first) {
          if (header.compare(buf, start, end) !== 0) throw new Error(`${file.name}: staging ledger header is not the current format; rebuild from landing`)
          first = false
          return
        }
        const at = buf.indexOf(0x2c, start) + 1
        const d = buf.toString('latin1', at, at + 10)
        if (at === 0 || at + 10 >= end || buf[at + 10] !== 0x2c || !REPORTING_DATE.test(d))
          throw new Error(`${file.name}: a staging ledger line has no Reporting Date as its second field; rebuild from landing`)
        if (d < lo) lo = d
        if (d > hi) hi = d
        if (!covered(ranges, d)) return out.writeBytes(buf.subarray(start, end + 1))
      })
      if (hi) ranges.push([lo, hi])
    }
    return await out.finish()
  } catch (err) {
    await out.abort()
    throw err
  }
}
