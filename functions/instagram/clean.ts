/**
 * Instagram cleaner: insights and total_value files → staging rows per metric (reach, followers, views),
 * each a (date, account) value; days Instagram left out stay absent (its empty `data` is "not reported",
 * never 0). Then one curated CSV per metric, the newest extract winning per day.
 */
import { afterExtraction, cleanOutcome, curateIfNeeded, type FactSpec } from '../../lib/datasets/daily-facts.ts'
import { defineCleaner } from '../../lib/define.ts'
import { RefusedFile } from '../../lib/errors.ts'
import { readJsonPayload } from '../../lib/lake/json-payload.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import { promoteLanding, type PromoteSink } from '../../lib/lake/promote.ts'
import { addDays } from '../../lib/kpi/window.ts'
import { dayOf, InsightsPayload, parseLandingName, TotalValuePayload, ViewsEnvelope } from './payloads.ts'

const fact = (metric: 'reach' | 'followers' | 'views'): FactSpec => ({
  dataset: metric,
  key: ['date', 'account'],
  values: [metric],
  integers: [metric],
  table: 'social_daily',
  fixed: { platform: 'instagram' },
  dateColumn: 'date',
})
export const FACTS: readonly FactSpec[] = [fact('reach'), fact('followers'), fact('views')]

async function promote(file: LakeFile, sink: PromoteSink) {
  if (file.dataset === 'views') {
    const envelope = await readJsonPayload(file.path, ViewsEnvelope, 'views envelope')
    if (addDays(envelope.since, 1) !== envelope.until) throw new RefusedFile(`a views answer for ${envelope.since}…${envelope.until}, not one day`)
    const p = await readJsonPayload(file.path, TotalValuePayload, 'total_value answer', envelope.body)
    const future = afterExtraction(envelope.since, sink.lineage._extracted_at)
    if (future) throw new RefusedFile(future)
    for (const d of p.data) {
      await sink.raw({ ...d, account: envelope.account, date: envelope.since })
      if (d.name === 'views') await sink.staging('views', { date: envelope.since, account: envelope.account, views: d.total_value.value })
    }
    return
  }
  const name = parseLandingName(file.name)
  if (!name) throw new RefusedFile('cannot tell the account and days from the file name (insights--<account>--<from>--<to>.json)')
  const p = await readJsonPayload(file.path, InsightsPayload, 'insights payload')
  for (const series of p.data) {
    await sink.raw(series)
    const metric = series.name === 'reach' ? 'reach' : series.name === 'follower_count' ? 'followers' : null
    if (!metric) {
      sink.quarantine(null, `unknown metric "${series.name}"`, series.name)
      continue
    }
    for (const [i, v] of series.values.entries()) {
      const date = dayOf(v.end_time)
      const future = date && afterExtraction(date, sink.lineage._extracted_at)
      if (!date || date < name.from || date > name.to) sink.quarantine(i + 1, `end_time "${v.end_time}" is outside ${name.from}…${name.to}`, v)
      else if (future) sink.quarantine(i + 1, future, v)
      else await sink.staging(metric, { date, account: name.account, [metric]: v.value })
    }
  }
}

/** Imports by content: a time series (reach / follower_count) or a views envelope. */
function classify(head: string): string | null {
  if (/^\s*\{\s*"account"/.test(head) && /"body"/.test(head)) return 'views'
  return /^\s*\{\s*"data"/.test(head) && /"name"\s*:\s*"(reach|follower_count)"/.test(head) ? 'insights' : null
}

export default defineCleaner({
  source: 'instagram',
  description: 'Instagram insights → staging per metric → curated reach, followers and views per day',
  classify,
  async run(ctx) {
    const s = await promoteLanding(ctx, 'instagram', promote)
    return cleanOutcome(s, await curateIfNeeded(ctx, 'instagram', s, FACTS))
  },
})
