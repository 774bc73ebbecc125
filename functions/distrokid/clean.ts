/**
 * DistroKid cleaner: landing → raw → staging for stats pages and bank-details ledgers, then the
 * curated `tidy_daily_streams.csv` rows (newest extract wins per platform and date) and
 * `distrokid/dk_bank_details.csv` (every ledger line once, by line identity, across all exports).
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { defineCleaner } from '../../lib/define.ts'
import { pivotDaily, replaceDistributorRows, tidyPath } from '../../lib/datasets/tidy-daily-streams.ts'
import { RefusedFile } from '../../lib/errors.ts'
import { KeyCounter } from '../../lib/lake/key-counter.ts'
import { tempName } from '../../lib/lake/atomic.ts'
import { exists, type LakeFile } from '../../lib/lake/lake.ts'
import { csvLine, readLines } from '../../lib/lake/lines.ts'
import { newestValueWins } from '../../lib/lake/merge.ts'
import { describePromotion, promoteLanding, type PromoteSink } from '../../lib/lake/promote.ts'
import { detectTextEncoding } from '../../lib/lake/text.ts'
import { LEDGER_CURATED_HEADER, LEDGER_STAGING_HEADER, ledgerCsvRow, lineIdOf } from './ledger-csv.ts'
import { indexHeader, isLedgerHeader, LedgerReader } from './ledger.ts'
import { parseStatsPage, statsPageKind } from './stats-page.ts'

export const BANK_FILE = 'dk_bank_details.csv'
type DailyRow = { date: string; platform: string; streams: number }
// Tabs separate fields, so they never reach a field; any other control character needs escaping.
const NEEDS_JSON_ESCAPE = /["\\\u0000-\u0008\u000a-\u001f]/

function classify(head: string): string | null {
  const first = head.split(/\r\n|\r|\n/, 1)[0]
  if (isLedgerHeader(first)) return 'bank'
  if (statsPageKind(head) || (/<html|<!doctype/i.test(head) && /distrokid/i.test(head))) return 'stats'
  return null
}

async function promoteStats(file: LakeFile, sink: PromoteSink) {
  // An empty chart (an account with no plays on that platform yet) is valid: it adds no days, and no zeros.
  const page = parseStatsPage(await readFile(file.path, 'utf8'))
  for (const p of page.points) {
    await sink.raw({ platform: page.platform, date: p.date, streams: p.streams })
    await sink.staging('daily_streams', { date: p.date, platform: page.platform, streams: p.streams })
  }
}

async function promoteLedger(file: LakeFile, sink: PromoteSink) {
  const encoding = await detectTextEncoding(file.path)
  let reader: LedgerReader | null = null
  let keys: string[] = []
  let lineNo = 0
  let short: { line: number; fields: number; text: string } | null = null
  for await (const line of readLines(file.path, encoding)) {
    lineNo++
    if (!reader) {
      if (!isLedgerHeader(line)) throw new RefusedFile(`unknown ledger header: first line starts "${line.slice(0, 60)}"`)
      const names = line.replace(/^\uFEFF/, '').split('\t')
      reader = new LedgerReader(indexHeader(line))
      keys = names.map((n) => `${JSON.stringify(n.trim())}:`)
      continue
    }
    if (line === '') continue
    if (short) sink.quarantine(short.line, `record has ${short.fields} fields, the header has ${keys.length}`, short.text)
    short = null
    const f = line.split('\t')
    if (f.length !== keys.length) {
      short = { line: lineNo, fields: f.length, text: line }
      continue
    }
    // Ledger fields almost never hold a quote, backslash or control character; when the line has
    // none, every field is already a valid JSON string body and JSON.stringify per field is skipped.
    const plain = !NEEDS_JSON_ESCAPE.test(line)
    let members = keys[0] + (plain ? `"${f[0]}"` : JSON.stringify(f[0]))
    for (let i = 1; i < f.length; i++) members += `,${keys[i]}${plain ? `"${f[i]}"` : JSON.stringify(f[i])}`
    await sink.rawMembers(members)
    const r = reader.read(f)
    if (typeof r === 'string') sink.quarantine(lineNo, r, line)
    else await sink.stagingCsv('ledger', LEDGER_STAGING_HEADER, ledgerCsvRow(r, sink.lineage._extracted_at))
  }
  if (!reader) throw new RefusedFile('the file is empty')
  // A short last record is a cut-off download: refuse it whole rather than load a partial ledger.
  if (short) throw new RefusedFile(`truncated: the last record (line ${short.line}) has ${short.fields} of ${keys.length} fields`)
}

/** Every ledger line once, newest export first; lines only older exports carry are kept. */
async function curateLedger(ctx: Parameters<typeof promoteLanding>[0], files: LakeFile[]): Promise<boolean> {
  const target = ctx.lake.curatedPath('distrokid', BANK_FILE)
  if (files.length === 1) {
    // One export: its identities are unique by construction and its rows are already curated rows.
    const tmp = tempName(target)
    await mkdir(path.dirname(target), { recursive: true })
    await copyFile(files[0].path, tmp)
    return ctx.lake.replaceCurated('distrokid', target, tmp)
  }
  const out = await ctx.lake.curatedWriter('distrokid', BANK_FILE)
  await out.write(csvLine(LEDGER_CURATED_HEADER))
  const seen = new KeyCounter(1 << 16)
  for (const file of [...files].reverse()) {
    let header = true
    for await (const line of readLines(file.path)) {
      if (header || !line) {
        header = false
        continue
      }
      if (seen.add(lineIdOf(line)) > 1) continue
      await out.write(line + '\n')
    }
  }
  return ctx.lake.replaceCurated('distrokid', target, await out.finish())
}

export default defineCleaner({
  source: 'distrokid',
  description: 'Stats pages and bank-details ledgers → tidy daily streams and the ledger (curated)',
  classify,
  async run(ctx) {
    const summary = await promoteLanding(ctx, 'distrokid', (file, sink) =>
      file.dataset === 'bank' ? promoteLedger(file, sink) : promoteStats(file, sink),
    )
    const message = describePromotion(summary)
    // Curated files are rebuilt from all staging when something new was promoted (or one is missing).
    const changed = summary.filesOut > 0
    const dailyFiles = await ctx.lake.list('staging', 'distrokid', 'daily_streams')
    if (dailyFiles.length && (changed || !(await exists(tidyPath(ctx))))) {
      // The pages restate a whole year each day: a repeated value keeps its first extraction time, so
      // the curated file changes (and is archived) only when a value does.
      const daily = await newestValueWins<DailyRow>(dailyFiles, (r) => `${r.platform}|${r.date}`, (r) => r.streams)
      await replaceDistributorRows(ctx, 'distrokid', pivotDaily('distrokid', daily))
    }
    const ledgerFiles = await ctx.lake.list('staging', 'distrokid', 'ledger')
    if (ledgerFiles.length && (changed || !(await exists(ctx.lake.curatedPath('distrokid', BANK_FILE))))) {
      await curateLedger(ctx, ledgerFiles)
    }
    const status = summary.refused.length ? 'failed' : summary.filesIn === 0 ? 'skipped' : 'ok'
    return { status, severity: summary.refused.length || summary.rowsQuarantined ? 'medium' : undefined, message: message ?? (summary.filesIn === 0 ? 'nothing new in landing' : undefined), ...counts(summary) }
  },
})

function counts(s: { filesIn: number; filesOut: number; rowsIn: number; rowsOut: number; rowsQuarantined: number }) {
  return { filesIn: s.filesIn, filesOut: s.filesOut, rowsIn: s.rowsIn, rowsOut: s.rowsOut, rowsQuarantined: s.rowsQuarantined }
}

