/**
 * Mailchimp cleaner: list pages → members per list as of the extraction day, activity → daily
 * subscribes and unsubscribes per list, report pages → one row per campaign. Addresses were hashed
 * before landing; the cleaner checks again and refuses a file that still holds one.
 */
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { afterExtraction, cleanOutcome, curateIfNeeded, type FactSpec } from '../../lib/datasets/daily-facts.ts'
import { defineCleaner } from '../../lib/define.ts'
import { RefusedFile } from '../../lib/errors.ts'
import { readJsonPayload } from '../../lib/lake/json-payload.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import { promoteLanding, type PromoteSink } from '../../lib/lake/promote.ts'
import { ActivityPayload, ListsPayload, ReportsPayload, scrubAddresses } from './payloads.ts'

const CAMPAIGN_VALUES = ['list_id', 'send_time', 'emails_sent', 'opens', 'unique_opens', 'clicks', 'unique_clicks']
export const FACTS: readonly FactSpec[] = [
  { dataset: 'members', key: ['date', 'list_id'], values: ['members'], integers: ['members'], table: 'email_daily', dateColumn: 'date' },
  {
    dataset: 'activity',
    key: ['date', 'list_id'],
    values: ['subscribes', 'unsubscribes'],
    integers: ['subscribes', 'unsubscribes'],
    table: 'email_daily',
    dateColumn: 'date',
  },
  { dataset: 'campaigns', key: ['campaign_id'], values: CAMPAIGN_VALUES, integers: CAMPAIGN_VALUES.slice(2), table: 'email_campaigns' },
]

/** A landed payload, refused if it still holds an address in clear (they are hashed before landing). */
async function readPayload<S extends z.ZodType>(file: string, schema: S, what: string): Promise<z.infer<S>> {
  const text = await readFile(file, 'utf8')
  if (scrubAddresses(text) !== text) throw new RefusedFile('it holds an e-mail address in clear (only aggregates are kept)')
  return readJsonPayload(file, schema, what, text)
}

async function promote(file: LakeFile, sink: PromoteSink) {
  if (file.dataset === 'lists') {
    const p = await readPayload(file.path, ListsPayload, 'Mailchimp list page')
    const date = sink.lineage._extracted_at.slice(0, 10)
    for (const l of p.lists) {
      await sink.raw(l)
      await sink.staging('members', { date, list_id: l.id, members: l.stats.member_count })
    }
  } else if (file.dataset === 'activity') {
    const p = await readPayload(file.path, ActivityPayload, 'Mailchimp list activity')
    for (const [i, a] of p.activity.entries()) {
      await sink.raw({ ...a, list_id: p.list_id })
      const future = afterExtraction(a.day, sink.lineage._extracted_at)
      if (!/^\d{4}-\d{2}-\d{2}$/.test(a.day)) sink.quarantine(i + 1, `day "${a.day}" is not YYYY-MM-DD`, a)
      else if (future) sink.quarantine(i + 1, future, a)
      else await sink.staging('activity', { date: a.day, list_id: p.list_id, subscribes: a.subs, unsubscribes: a.unsubs })
    }
  } else if (file.dataset === 'reports') {
    const p = await readPayload(file.path, ReportsPayload, 'Mailchimp report page')
    for (const r of p.reports) {
      await sink.raw(r)
      await sink.staging('campaigns', {
        campaign_id: r.id,
        list_id: r.list_id ?? null,
        send_time: r.send_time ?? null,
        emails_sent: r.emails_sent,
        opens: r.opens.opens_total,
        unique_opens: r.opens.unique_opens,
        clicks: r.clicks.clicks_total,
        unique_clicks: r.clicks.unique_clicks,
      })
    }
  } else throw new RefusedFile(`unknown Mailchimp landing dataset '${file.dataset}'`)
}

function classify(head: string): string | null {
  if (/^\s*\{\s*"lists"/.test(head)) return 'lists'
  if (/"activity"\s*:/.test(head) && /"list_id"/.test(head)) return 'activity'
  return /^\s*\{\s*"reports"/.test(head) ? 'reports' : null
}

export default defineCleaner({
  source: 'mailchimp',
  description: 'Mailchimp lists, activity and reports → curated members, daily activity and campaigns',
  classify,
  async run(ctx) {
    const s = await promoteLanding(ctx, 'mailchimp', promote)
    return cleanOutcome(s, await curateIfNeeded(ctx, 'mailchimp', s, FACTS))
  },
})
