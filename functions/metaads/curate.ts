/**
 * staging → curated for Meta, under 4_curated/metaads/, each file rebuilt from every staging file of
 * its dataset:
 *  - campaigns, ad sets, ads: the newest extract wins per id (names and statuses change);
 *  - daily insights: the newest extract wins per (date, campaign, ad set). Meta restates recent days,
 *    and a day without delivery is absent, not 0 — so inside the window a newer extract asked for,
 *    a key it no longer carries is dropped (restated away), while days outside it are kept;
 *  - snapshots: every (snapshot time, level, object) kept, with the campaign's / ad set's name and the
 *    status the same dump reported. Snapshots are lifetime totals: the KPI takes the newest per
 *    campaign and never adds snapshots together.
 * A value a newer extract merely repeats keeps its first extraction time, so a daily re-read of 28
 * unchanged days leaves the curated files byte for byte as they were.
 */
import type { Context } from '../../lib/context.ts'
import { csvLine, readNdjson } from '../../lib/lake/lines.ts'
import { newestValueWins } from '../../lib/lake/merge.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import type { DailyInsight, Snapshot } from './staging.ts'

export const CURATED = {
  campaigns: 'metaads_campaigns.csv',
  adsets: 'metaads_adsets.csv',
  ads: 'metaads_ads.csv',
  daily: 'metaads_insights_daily.csv',
  snapshots: 'metaads_snapshots.csv',
} as const

export const HEADERS = {
  campaigns: ['campaign_id', 'name', 'status', 'objective', 'effective_status', 'daily_budget_cents', 'lifetime_budget_cents', 'extracted_at'],
  adsets: ['adset_id', 'campaign_id', 'name', 'status', 'effective_status', 'daily_budget_cents', 'lifetime_budget_cents', 'extracted_at'],
  ads: ['ad_id', 'adset_id', 'campaign_id', 'name', 'status', 'effective_status', 'extracted_at'],
  daily: ['date', 'campaign_id', 'adset_id', 'spend_cents', 'impressions', 'clicks', 'reach', 'extracted_at'],
  snapshots: ['snapshot_at', 'level', 'object_id', 'campaign_id', 'name', 'status', 'date_start', 'date_stop', 'spend_cents', 'impressions', 'clicks', 'reach'],
} as const

type Row = Record<string, unknown>

async function writeCurated(ctx: Context, name: string, header: readonly string[], rows: Row[], sortBy: readonly string[]) {
  const key = (r: Row) => sortBy.map((c) => String(r[c] ?? '')).join('\u0000')
  const out = await ctx.lake.curatedWriter('metaads', name)
  await out.write(csvLine(header))
  for (const r of rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))) await out.write(csvLine(header.map((c) => r[c])))
  return ctx.lake.replaceCurated('metaads', ctx.lake.curatedPath('metaads', name), await out.finish())
}

const staging = (ctx: Context, dataset: string) => ctx.lake.list('staging', 'metaads', dataset)

/** Newest extract wins per id; the value compared is every column but the time it was seen. */
async function curateEntities(ctx: Context, dataset: 'campaigns' | 'adsets' | 'ads', idColumn: string) {
  const files = await staging(ctx, dataset)
  if (!files.length) return new Map<string, Row>()
  const rows = await newestValueWins<Row>(
    files,
    (r) => String(r[idColumn]),
    ({ seen_at: _, ...rest }) => rest,
  )
  await writeCurated(
    ctx,
    CURATED[dataset],
    HEADERS[dataset],
    rows.map((r) => ({ ...r, extracted_at: r._extracted_at })),
    [idColumn],
  )
  return new Map(rows.map((r) => [String(r[idColumn]), r]))
}

/** Merges daily insights file by file, oldest first; a file's coverage window drops what it no longer reports. */
export async function mergeDaily(files: LakeFile[], coverage: LakeFile[]): Promise<(DailyInsight & { extracted_at: string })[]> {
  const windows = new Map<string, { since: string; until: string }>()
  for (const f of coverage) for await (const w of readNdjson<{ since: string; until: string }>(f.path)) windows.set(f.name, w)
  const byName = new Map(files.map((f) => [f.name, f]))
  for (const f of coverage) if (!byName.has(f.name)) byName.set(f.name, { ...f, dataset: 'insights_daily' })
  const ordered = [...byName.values()].sort((a, b) => (a.extractedAt?.getTime() ?? 0) - (b.extractedAt?.getTime() ?? 0) || (a.name < b.name ? -1 : 1))
  const merged = new Map<string, { row: DailyInsight; value: string; since: string }>()
  for (const f of ordered) {
    const at = (f.extractedAt ?? new Date(0)).toISOString()
    const fresh = new Map<string, DailyInsight>()
    if (files.includes(f)) for await (const r of readNdjson<DailyInsight>(f.path)) fresh.set(`${r.date}|${r.campaign_id}|${r.adset_id}`, r)
    const w = windows.get(f.name)
    if (w) for (const [k, e] of merged) if (e.row.date >= w.since && e.row.date <= w.until && !fresh.has(k)) merged.delete(k)
    for (const [k, r] of fresh) {
      const value = JSON.stringify([r.spend_cents, r.impressions, r.clicks, r.reach])
      const prev = merged.get(k)
      merged.set(k, { row: r, value, since: prev && prev.value === value ? prev.since : at })
    }
  }
  return [...merged.values()].map((e) => ({ ...e.row, extracted_at: e.since }))
}

/** Status of each object as each extract saw it: `${seen_at}|${id}` → status. */
async function statusesSeen(ctx: Context, dataset: 'campaigns' | 'adsets', idColumn: string) {
  const out = new Map<string, string | null>()
  for (const f of await staging(ctx, dataset))
    for await (const r of readNdjson<Row>(f.path)) out.set(`${r.seen_at}|${r[idColumn]}`, (r.status as string | null) ?? null)
  return out
}

async function curateSnapshots(ctx: Context, campaigns: Map<string, Row>): Promise<number> {
  const files = await staging(ctx, 'snapshots')
  if (!files.length) return 0
  const campaignStatus = await statusesSeen(ctx, 'campaigns', 'campaign_id')
  const adsetStatus = await statusesSeen(ctx, 'adsets', 'adset_id')
  const rows = await newestValueWins<Snapshot>(
    files,
    (r) => `${r.snapshot_at}|${r.level}|${r.object_id}`,
    (r) => r,
  )
  const out = rows.map((s) => ({
    ...s,
    name: s.level !== 'campaign' ? s.object_name : (s.campaign_name ?? (campaigns.get(s.campaign_id)?.name as string | undefined) ?? null),
    status: s.level === 'ad' ? null : ((s.level === 'adset' ? adsetStatus : campaignStatus).get(`${s.snapshot_at}|${s.object_id}`) ?? null),
  }))
  await writeCurated(ctx, CURATED.snapshots, HEADERS.snapshots, out, ['snapshot_at', 'level', 'object_id'])
  return out.length
}

/** Rebuilds every Meta curated file that has staging behind it; returns row counts. */
export async function curateMeta(ctx: Context) {
  const campaigns = await curateEntities(ctx, 'campaigns', 'campaign_id')
  const adsets = await curateEntities(ctx, 'adsets', 'adset_id')
  const ads = await curateEntities(ctx, 'ads', 'ad_id')
  const dailyFiles = await staging(ctx, 'insights_daily')
  const coverage = await staging(ctx, 'coverage')
  let days = 0
  if (dailyFiles.length || coverage.length) {
    const daily = await mergeDaily(dailyFiles, coverage)
    await writeCurated(ctx, CURATED.daily, HEADERS.daily, daily as unknown as Row[], ['date', 'campaign_id', 'adset_id'])
    days = daily.length
  }
  const snapshots = await curateSnapshots(ctx, campaigns)
  return { campaigns: campaigns.size, adsets: adsets.size, ads: ads.size, days, snapshots }
}
