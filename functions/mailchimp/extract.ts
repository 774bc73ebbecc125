/**
 * Mailchimp extractor: with the stored API key (HTTP Basic; the data centre is the key's suffix), the
 * lists (member counts), each list's daily activity, and the campaign reports sent in the window —
 * aggregate endpoints only, asked for with `fields` so no address is requested, and every payload
 * scrubbed of anything address-shaped before it lands (the landing copy is the scrubbed JSON). One
 * request at a time: Mailchimp allows 10 simultaneous connections per user and says no more than that.
 */
import type { z } from 'zod'
import type { Context } from '../../lib/context.ts'
import { defineExtractor } from '../../lib/define.ts'
import { UpstreamError } from '../../lib/upstream/client.ts'
import { upstreamFailure } from '../../lib/upstream/outcome.ts'
import { fetchWindow } from '../../lib/upstream/window.ts'
import { daysBetween } from '../../lib/kpi/window.ts'
import { ActivityPayload, classifyMailchimpError, dataCentre, ListsPayload, ReportsPayload, scrubAddresses } from './payloads.ts'

const PAGE = 100
const LIST_FIELDS = 'lists.id,lists.name,lists.stats.member_count,lists.stats.unsubscribe_count,total_items'
const ACTIVITY_FIELDS = 'list_id,activity.day,activity.subs,activity.unsubs,activity.emails_sent'
const REPORT_FIELDS =
  'reports.id,reports.list_id,reports.send_time,reports.emails_sent,reports.opens.opens_total,reports.opens.unique_opens,reports.clicks.clicks_total,reports.clicks.unique_clicks,total_items'

async function extract(ctx: Context): Promise<number> {
  const key = (await ctx.credentials.load('mailchimp', 'default'))?.token
  if (!key) throw new UpstreamError('needs_auth', 'no Mailchimp API key is stored')
  const dc = dataCentre(key)
  if (!dc) throw new UpstreamError('needs_auth', 'the stored credential is not a Mailchimp API key (it should end in -<data centre>, e.g. -us6)')
  const base = ctx.sources.get('mailchimp')!.baseUrls.main.replace('{dc}', dc)
  const headers = { authorization: `Basic ${Buffer.from(`bedrot:${key}`).toString('base64')}`, accept: 'application/json' }
  let files = 0
  const get = async <S extends z.ZodType>(dataset: string, name: string, path: string, schema: S): Promise<z.infer<S>> => {
    const { data } = await ctx.upstream.json(`${base}${path}`, schema, { headers, classifyError: classifyMailchimpError, source: 'mailchimp' })
    const clean = scrubAddresses(data)
    await ctx.lake.land('mailchimp', dataset, name, JSON.stringify(clean), ctx.now)
    files++
    return clean
  }
  const lists: string[] = []
  for (let offset = 0; ; offset += PAGE) {
    const page = await get('lists', `lists-${offset}.json`, `/lists?count=${PAGE}&offset=${offset}&fields=${LIST_FIELDS}`, ListsPayload)
    lists.push(...page.lists.map((l) => l.id))
    if (offset + PAGE >= page.total_items || !page.lists.length) break
  }
  const w = fetchWindow(ctx, 30)
  const days = Math.min(180, daysBetween(w.from, ctx.now.toISOString().slice(0, 10)) + 1)
  for (const id of lists)
    await get('activity', `activity-${id}.json`, `/lists/${encodeURIComponent(id)}/activity?count=${days}&fields=${ACTIVITY_FIELDS}`, ActivityPayload)
  for (let offset = 0; ; offset += PAGE) {
    const since = encodeURIComponent(`${w.from}T00:00:00+00:00`)
    const page = await get(
      'reports',
      `reports-${offset}.json`,
      `/reports?count=${PAGE}&offset=${offset}&since_send_time=${since}&fields=${REPORT_FIELDS}`,
      ReportsPayload,
    )
    if (offset + PAGE >= page.total_items || !page.reports.length) break
  }
  return files
}

export default defineExtractor({
  source: 'mailchimp',
  description: 'Mailchimp audience size, daily subscribes and unsubscribes, campaign reports (aggregates only)',
  async run(ctx) {
    try {
      const filesOut = await extract(ctx)
      return { status: 'ok', filesOut, message: `${filesOut} payloads landed` }
    } catch (err) {
      return upstreamFailure('mailchimp', err, { what: 'Mailchimp' })
    }
  },
})
