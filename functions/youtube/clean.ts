/**
 * YouTube cleaner: Analytics reports → daily rows per channel (columns found by their header names, not
 * positions; a report without `rows` is a window with no data yet, not zeros), Data API channel lists →
 * channel totals as of the extraction day. Then one curated CSV each, the newest extract winning.
 */
import { afterExtraction, cleanOutcome, curateIfNeeded, type FactSpec } from '../../lib/datasets/daily-facts.ts'
import { defineCleaner } from '../../lib/define.ts'
import { RefusedFile } from '../../lib/errors.ts'
import { readJsonPayload } from '../../lib/lake/json-payload.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import { promoteLanding, type PromoteSink } from '../../lib/lake/promote.ts'
import { ChannelsPayload, ReportPayload } from './payloads.ts'

export const FACTS: readonly FactSpec[] = [
  {
    dataset: 'daily',
    key: ['date', 'channel'],
    values: ['views', 'watch_minutes', 'subscribers_gained', 'subscribers_lost'],
    integers: ['views', 'watch_minutes', 'subscribers_gained', 'subscribers_lost'],
    table: 'youtube_daily',
    dateColumn: 'date',
  },
  {
    dataset: 'channels',
    key: ['snapshot_date', 'channel'],
    values: ['title', 'views', 'subscribers', 'videos'],
    integers: ['views', 'subscribers', 'videos'],
    table: 'youtube_channels',
  },
]

const COLUMNS: Record<string, string> = {
  views: 'views',
  estimatedMinutesWatched: 'watch_minutes',
  subscribersGained: 'subscribers_gained',
  subscribersLost: 'subscribers_lost',
}
const NAME = /(?:report|channels)--([^/]+?)--/

async function promote(file: LakeFile, sink: PromoteSink) {
  const account = NAME.exec(file.name)?.[1]
  if (!account) throw new RefusedFile('cannot tell the channel account from the file name (report--<account>--….json)')
  if (file.dataset === 'channels') {
    const list = await readJsonPayload(file.path, ChannelsPayload, 'YouTube channel list')
    const snapshot = sink.lineage._extracted_at.slice(0, 10)
    for (const ch of list.items) {
      await sink.raw(ch)
      const s = ch.statistics
      const n = (v: string | undefined) => (v === undefined ? null : Number(v))
      await sink.staging('channels', {
        snapshot_date: snapshot,
        channel: ch.id,
        title: ch.snippet?.title ?? null,
        views: n(s.viewCount),
        subscribers: s.hiddenSubscriberCount ? null : n(s.subscriberCount),
        videos: n(s.videoCount),
      })
    }
    return
  }
  const report = await readJsonPayload(file.path, ReportPayload, 'YouTube Analytics report')
  const names = report.columnHeaders.map((h) => h.name)
  const day = names.indexOf('day')
  if (day < 0) throw new RefusedFile(`a report without a day column (columns: ${names.join(', ')})`)
  const channel = decodeURIComponent(account)
  for (const [i, row] of (report.rows ?? []).entries()) {
    await sink.raw(Object.fromEntries(names.map((n, j) => [n, row[j]])))
    const date = row[day]
    const out: Record<string, unknown> = { date, channel }
    let bad: string | null = typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) ? null : `day "${date}" is not YYYY-MM-DD`
    for (const [j, name] of names.entries()) {
      const column = COLUMNS[name]
      if (!column) continue
      const v = row[j]
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) bad ??= `${name} "${v}" is not a count`
      out[column] = v
    }
    if (!bad && typeof date === 'string') bad = afterExtraction(date, sink.lineage._extracted_at)
    if (bad) sink.quarantine(i + 1, bad, row)
    else await sink.staging('daily', out)
  }
}

function classify(head: string): string | null {
  if (/"youtubeAnalytics#resultTable"/.test(head)) return 'report'
  return /"youtube#channelListResponse"/.test(head) ? 'channels' : null
}

export default defineCleaner({
  source: 'youtube',
  description: 'YouTube reports and channel lists → curated daily metrics and channel totals',
  classify,
  async run(ctx) {
    const s = await promoteLanding(ctx, 'youtube', promote)
    return cleanOutcome(s, await curateIfNeeded(ctx, 'youtube', s, FACTS))
  },
})
