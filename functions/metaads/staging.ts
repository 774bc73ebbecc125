/**
 * One Meta landing file → raw records and staging rows. Raw keeps every element as received
 * (ids as the exact strings they were). Staging, typed:
 *   campaigns          {campaign_id, name, status, objective, effective_status, daily/lifetime_budget_cents, seen_at}
 *   adsets             {adset_id, campaign_id, name, status, effective_status, daily/lifetime_budget_cents, seen_at}
 *   ads                {ad_id, adset_id, campaign_id, name, status, effective_status, seen_at}
 *   insights_daily     {date, campaign_id, adset_id ('' at campaign grain), spend_cents, impressions, clicks, reach}
 *   coverage           {since, until}   the window a daily extract asked for: inside it, absent = no delivery
 *   snapshots          {snapshot_at, level, object_id, campaign_id, …, spend_cents, impressions, clicks, reach}
 * A dump's insights are lifetime totals up to `date_stop`, never daily values: they become snapshots,
 * stamped with the dump's time (its folder name), and are never summed with other snapshots.
 */
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { RefusedFile } from '../../lib/errors.ts'
import { parseJsonKeepingIds } from '../../lib/json-ids.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import type { PromoteSink } from '../../lib/lake/promote.ts'
import { classifyHead, type Dataset, DATASETS, LandedList, ROW_SCHEMAS, rowProblem } from './payloads.ts'

export interface DailyInsight {
  date: string
  campaign_id: string
  adset_id: string
  spend_cents: number
  impressions: number
  clicks: number
  reach: number | null
}

export interface Snapshot {
  snapshot_at: string
  level: 'campaign' | 'adset' | 'ad'
  object_id: string
  campaign_id: string
  campaign_name: string | null
  object_name: string | null
  date_start: string
  date_stop: string
  spend_cents: number
  impressions: number
  clicks: number
  reach: number | null
}

export async function promoteMetaFile(file: LakeFile, sink: PromoteSink): Promise<void> {
  const dataset = file.dataset as Dataset
  if (!DATASETS.includes(dataset)) throw new RefusedFile(`unknown Meta dataset ${file.dataset}`)
  const text = await readFile(file.path, 'utf8')
  let doc: unknown
  try {
    doc = parseJsonKeepingIds(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    throw new RefusedFile(`not a complete JSON document (${(err as Error).message}; starts ${JSON.stringify(text.trimStart().slice(0, 40))})`)
  }
  let rows: unknown[]
  let request: { since?: string; until?: string } | undefined
  if (Array.isArray(doc)) rows = doc
  else {
    const list = LandedList.safeParse(doc)
    if (!list.success) throw new RefusedFile('neither a JSON array (a dump file) nor a Graph response with a `data` list')
    rows = list.data.data
    request = list.data.request
  }
  const kind = rows.length ? classifyHead(text) : null
  if (kind && kind !== dataset) throw new RefusedFile(`${kind} rows filed under ${dataset}`)
  const seenAt = (file.extractedAt ?? new Date(0)).toISOString()

  for (const [index, row] of rows.entries()) await sink.raw({ dataset, index, row })
  if (dataset === 'insights_daily' && request?.since && request.until) {
    await sink.raw({ dataset, request })
    await sink.staging('coverage', { since: request.since, until: request.until })
  }

  const seen = new Set<string>()
  for (const [i, row] of rows.entries()) {
    const parsed = ROW_SCHEMAS[dataset].safeParse(row)
    if (!parsed.success) {
      sink.quarantine(null, `${dataset}[${i}] ${rowProblem(parsed.error)}`, row)
      continue
    }
    const staged = stage(dataset, parsed.data as never, seenAt)
    if ('problem' in staged) {
      sink.quarantine(null, `${dataset}[${i}] ${staged.problem}`, row)
      continue
    }
    if (seen.has(staged.key)) {
      // Two values for one key in one payload: neither is more credible; keep the first, show the other.
      sink.quarantine(null, `${dataset}[${i}] repeats ${staged.key} within the same file`, row)
      continue
    }
    seen.add(staged.key)
    await sink.staging(staged.into, staged.row)
  }
}

type Staged = { into: string; key: string; row: Record<string, unknown> } | { problem: string }
type Parsed<D extends Dataset> = z.infer<(typeof ROW_SCHEMAS)[D]>

function stage(dataset: Dataset, r: Parsed<Dataset>, seenAt: string): Staged {
  const s = (v: unknown) => (typeof v === 'string' ? v : null)
  switch (dataset) {
    case 'campaigns': {
      const c = r as Parsed<'campaigns'>
      return {
        into: 'campaigns',
        key: c.id,
        row: {
          campaign_id: c.id,
          name: c.name,
          status: s(c.status),
          objective: s(c.objective),
          effective_status: s(c.effective_status),
          daily_budget_cents: c.daily_budget,
          lifetime_budget_cents: c.lifetime_budget,
          seen_at: seenAt,
        },
      }
    }
    case 'adsets': {
      const a = r as Parsed<'adsets'>
      return {
        into: 'adsets',
        key: a.id,
        row: {
          adset_id: a.id,
          campaign_id: a.campaign_id,
          name: a.name,
          status: s(a.status),
          effective_status: s(a.effective_status),
          daily_budget_cents: a.daily_budget,
          lifetime_budget_cents: a.lifetime_budget,
          seen_at: seenAt,
        },
      }
    }
    case 'ads': {
      const a = r as Parsed<'ads'>
      return {
        into: 'ads',
        key: a.id,
        row: {
          ad_id: a.id,
          adset_id: a.adset_id,
          campaign_id: a.campaign_id,
          name: a.name,
          status: s(a.status),
          effective_status: s(a.effective_status),
          seen_at: seenAt,
        },
      }
    }
    case 'insights_daily': {
      const i = r as Parsed<'insights_daily'>
      if (i.ad_id) return { problem: 'an ad-level row: daily insights are kept per campaign (and ad set)' }
      if (i.date_start !== i.date_stop) return { problem: `covers ${i.date_start} … ${i.date_stop}: not a daily row (time_increment=1 gives one day per row)` }
      const row: DailyInsight = {
        date: i.date_start,
        campaign_id: i.campaign_id,
        adset_id: i.adset_id ?? '',
        spend_cents: i.spend,
        impressions: i.impressions,
        clicks: i.clicks,
        reach: i.reach ?? null,
      }
      return { into: 'insights_daily', key: `${row.date}|${row.campaign_id}|${row.adset_id}`, row: { ...row } }
    }
    case 'insights_snapshot': {
      const i = r as Parsed<'insights_snapshot'>
      const row: Snapshot = {
        snapshot_at: seenAt,
        level: i.ad_id ? 'ad' : i.adset_id ? 'adset' : 'campaign',
        object_id: i.ad_id ?? i.adset_id ?? i.campaign_id,
        campaign_id: i.campaign_id,
        campaign_name: i.campaign_name ?? null,
        object_name: i.ad_id ? (i.ad_name ?? null) : (i.adset_name ?? null),
        date_start: i.date_start,
        date_stop: i.date_stop,
        spend_cents: i.spend,
        impressions: i.impressions,
        clicks: i.clicks,
        reach: i.reach ?? null,
      }
      return { into: 'snapshots', key: `${row.level}|${row.object_id}`, row: { ...row } }
    }
  }
}
