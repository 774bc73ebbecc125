/**
 * DistroKid cleaner: landing → raw → staging for stats pages and bank-details ledgers, then the
 * curated `tidy_daily_streams.csv` rows (newest extract wins per platform and date) and
 * `distrokid/dk_bank_details.csv` (exports as snapshots, see clean-ledger.ts). Each curated output is
 * rebuilt whenever its staging inputs differ from the ones recorded in its manifest, so a crash between
 * zones heals on the next run.
 */
import { readFile, rm } from 'node:fs/promises'
import { defineCleaner } from '../../lib/define.ts'
import { pivotDaily, replaceDistributorRows, tidyPath } from '../../lib/datasets/tidy-daily-streams.ts'
import type { Context } from '../../lib/context.ts'
import { exists, type LakeFile } from '../../lib/lake/lake.ts'
import { curatedIsCurrent, recordInputs } from '../../lib/lake/manifest.ts'
import { newestValueWins } from '../../lib/lake/merge.ts'
import { describePromotion, promoteLanding, type PromoteSink } from '../../lib/lake/promote.ts'
import { BANK_FILE, curateLedger, promoteLedger } from './clean-ledger.ts'
import { isLedgerHeader } from './ledger.ts'
import { ledgerShortcuts, writeLedgerDelta } from './ledger-delta.ts'
import { contentExtractedAt } from './content-time.ts'
import { parseStatsPage, statsPageKind } from './stats-page.ts'

export { BANK_FILE }
type DailyRow = { date: string; platform: string; streams: number }
// Bumped when curation changes meaning, so existing curated files are rebuilt by the new code.
const LEDGER_RECIPE = 'ledger-snapshots-v1'
const TIDY_RECIPE = 'tidy-newest-value-v1'

function classify(head: string): string | null {
  const first = head.split(/\r\n|\r|\n/, 1)[0]
  if (isLedgerHeader(first)) return 'bank'
  if (statsPageKind(head) || (/<html|<!doctype/i.test(head) && /distrokid/i.test(head))) return 'stats'
  return null
}

async function promoteStats(file: LakeFile, sink: PromoteSink) {
  // An empty chart (an account with no plays on that platform yet) is valid: it adds no days, and no zeros.
  const page = parseStatsPage(await readFile(file.path, 'utf8'))
  const extractedOn = sink.lineage._extracted_at.slice(0, 10)
  for (const p of page.points) {
    if (p.date > extractedOn) {
      sink.quarantine(null, `${page.platform} day ${p.date} is after the page was extracted (${extractedOn})`, p)
      continue
    }
    await sink.raw({ platform: page.platform, date: p.date, streams: p.streams })
    await sink.staging('daily_streams', { date: p.date, platform: page.platform, streams: p.streams })
  }
}

/** Rebuilds the curated outputs whose staging inputs changed; returns what was rebuilt. */
async function curate(ctx: Context): Promise<string[]> {
  const rebuilt: string[] = []
  const tidy = tidyPath(ctx)
  const dailyFiles = await ctx.lake.list('staging', 'distrokid', 'daily_streams')
  const daily = await curatedIsCurrent(tidy, dailyFiles, TIDY_RECIPE, 'distrokid')
  if (!daily.current && dailyFiles.length) {
    // The pages restate a whole year each day: a repeated value keeps its first extraction time, so
    // the curated file changes (and is archived) only when a value does.
    const rows = await newestValueWins<DailyRow>(
      dailyFiles,
      (r) => `${r.platform}|${r.date}`,
      (r) => r.streams,
    )
    await replaceDistributorRows(ctx, 'distrokid', pivotDaily('distrokid', rows))
    await recordInputs(tidy, daily.inputs, 'distrokid')
    rebuilt.push('tidy daily streams')
  }
  const bank = ctx.lake.curatedPath('distrokid', BANK_FILE)
  const ledgerFiles = await ctx.lake.list('staging', 'distrokid', 'ledger')
  const ledger = await curatedIsCurrent(bank, ledgerFiles, LEDGER_RECIPE)
  if (!ledger.current && ledgerFiles.length) {
    const tmp = await curateLedger(ctx, ledgerFiles)
    let hashes: { old: string; new: string } | undefined
    if (ledgerShortcuts.enabled && (await exists(bank))) {
      // Before the old version goes: what a load of it needs to become a load of the new one.
      const delta = await writeLedgerDelta(bank, bank, tmp).catch(async (err) => {
        await rm(tmp, { force: true })
        throw err
      })
      if (delta.why) ctx.log.info({ reason: delta.why }, 'no ledger delta written; the next load reads the whole curated ledger')
      hashes = delta.hashes
    }
    await ctx.lake.replaceCurated('distrokid', bank, tmp, hashes)
    await recordInputs(bank, ledger.inputs)
    rebuilt.push('ledger')
  }
  return rebuilt
}

export default defineCleaner({
  source: 'distrokid',
  description: 'Stats pages and bank-details ledgers → tidy daily streams and the ledger (curated)',
  classify,
  extractedAtFromContent: contentExtractedAt,
  async run(ctx) {
    const summary = await promoteLanding(ctx, 'distrokid', async (file, sink) => {
      if (file.dataset !== 'bank') return promoteStats(file, sink)
      // The exports already staged (those promoted earlier in this run included): the newest lets this
      // one take the lines they share as staged instead of parsing them again.
      const staged = ledgerShortcuts.enabled ? await ctx.lake.list('staging', 'distrokid', 'ledger') : []
      await promoteLedger(file, sink, staged, (why) => ctx.log.info({ file: file.name, reason: why }, 'ledger export promoted line by line'))
    })
    const rebuilt = await curate(ctx)
    const parts = [describePromotion(summary)]
    if (rebuilt.length && summary.filesOut === 0) parts.push(`rebuilt curated ${rebuilt.join(' and ')} (staging had changed since it was built)`)
    const message = parts.filter(Boolean).join('; ') || (summary.filesIn === 0 ? 'nothing new in landing' : undefined)
    const status = summary.refused.length ? 'failed' : summary.filesIn === 0 && !rebuilt.length ? 'skipped' : 'ok'
    return { status, severity: summary.refused.length || summary.rowsQuarantined ? 'medium' : undefined, message, ...counts(summary) }
  },
})

function counts(s: { filesIn: number; filesOut: number; rowsIn: number; rowsOut: number; rowsQuarantined: number }) {
  return { filesIn: s.filesIn, filesOut: s.filesOut, rowsIn: s.rowsIn, rowsOut: s.rowsOut, rowsQuarantined: s.rowsQuarantined }
}
