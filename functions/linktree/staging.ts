/**
 * One captured Linktree GraphQL answer → raw (the answer as received) and staging rows by kind:
 *   daily        {date, views, unique_views, clicks, unique_clicks, captured_at}   the overview timeseries
 *   windows      {captured_at, window_from, window_to}        the dates an overview answer covers
 *   totals       {captured_at, window_from?, window_to?, kind, key, title, views, clicks}
 *                window totals of links, socials, referrers, devices, countries, cities
 *   social_daily {date, name, clicks, captured_at}
 *   titles       {captured_at, link_id, title, active}
 *   lifetime     {captured_at, views, clicks, profile_clicks, social_clicks, subscribers}   a snapshot
 * Window totals whose answer has no dates get their window later (curate.ts) from the overview answer
 * of the same capture. An error answer is refused (it is not data); metadata answers stop at raw.
 */
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { RefusedFile } from '../../lib/errors.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import type { PromoteSink } from '../../lib/lake/promote.ts'
import { graphqlErrors, Lifetime, LinkClicks, LinkTitle, Named, Overview, payloadKind, SocialDay, SocialTotal, TimeseriesDay } from './payloads.ts'

export interface DailyRow {
  date: string
  views: number
  unique_views: number
  clicks: number
  unique_clicks: number
  captured_at: string
}

export type TotalRow = {
  captured_at: string
  window_from: string | null
  window_to: string | null
  kind: 'link' | 'social' | 'referrer' | 'device' | 'country' | 'city'
  key: string
  title: string | null
  views: number | null
  clicks: number | null
}

type Json = Record<string, unknown>

export async function promoteGraphql(file: LakeFile, sink: PromoteSink): Promise<string> {
  const text = await readFile(file.path, 'utf8')
  let doc: Json
  try {
    doc = JSON.parse(text) as Json
  } catch (err) {
    throw new RefusedFile(`not a complete JSON document (${(err as Error).message})`)
  }
  const errors = graphqlErrors(doc)
  const kind = payloadKind(doc)
  if (errors && (kind === 'errors' || kind === 'other')) throw new RefusedFile(`a GraphQL error answer, not data: ${errors.messages.join('; ')}`)
  await sink.raw({ kind, payload: doc })
  const a = ((doc.data as Json | undefined)?.getAccountAnalytics ?? {}) as Json
  const at = sink.lineage._extracted_at
  if (kind === 'overview') await stageOverview(a.overview, at, sink)
  else if (kind === 'links') await stageLinks(a, at, sink)
  else if (kind === 'link_titles') await stageTitles(doc.data as Json, at, sink)
  else if (kind === 'breakdowns') await stageBreakdowns(a, at, sink)
  return kind
}

function each<S extends z.ZodType>(rows: unknown, schema: S, what: string, sink: PromoteSink): z.infer<S>[] {
  const out: z.infer<S>[] = []
  for (const [i, row] of ((Array.isArray(rows) ? rows : []) as unknown[]).entries()) {
    const p = schema.safeParse(row)
    if (p.success) out.push(p.data)
    else sink.quarantine(null, `${what}[${i}] ${p.error.issues[0].path.join('.')}: ${p.error.issues[0].message}`, row)
  }
  return out
}

async function stageOverview(overview: unknown, at: string, sink: PromoteSink) {
  const o = Overview.safeParse(overview)
  if (!o.success) throw new RefusedFile(`overview without a timeseries: ${o.error.issues[0].message}`)
  const days = each(o.data.timeseries, TimeseriesDay, 'overview.timeseries', sink)
  const seen = new Set<string>()
  for (const d of days) {
    if (seen.has(d.date)) {
      sink.quarantine(null, `overview.timeseries repeats ${d.date} within the same answer`, d)
      continue
    }
    seen.add(d.date)
    await sink.staging('daily', {
      date: d.date,
      views: d.totalViews,
      unique_views: d.uniqueViews,
      clicks: d.totalClicks,
      unique_clicks: d.uniqueClicks,
      captured_at: at,
    } satisfies DailyRow)
  }
  const dates = [...seen].sort()
  if (dates.length) await sink.staging('windows', { captured_at: at, window_from: dates[0], window_to: dates.at(-1)! })
  // The answer's own totals are a check on its days, when every day was readable.
  const sum = (pick: (d: (typeof days)[number]) => number) => days.reduce((s, d) => s + pick(d), 0)
  if (days.length === o.data.timeseries.length && typeof o.data.totalViews === 'number' && o.data.totalViews !== sum((d) => d.totalViews)) {
    sink.quarantine(null, `overview.totalViews ${o.data.totalViews} differs from the sum of its days ${sum((d) => d.totalViews)}`)
  }
}

async function stageLinks(a: Json, at: string, sink: PromoteSink) {
  const socials = (a.socials ?? {}) as Json
  const daily = each(socials.timeseries, SocialDay, 'socials.timeseries', sink)
  const dates = daily.map((d) => d.date).sort()
  const window = { window_from: dates[0] ?? null, window_to: dates.at(-1) ?? null }
  const total = (kind: TotalRow['kind'], key: string, clicks: number): TotalRow => ({ captured_at: at, ...window, kind, key, title: null, views: null, clicks })
  for (const l of each(a.links, LinkClicks, 'links', sink)) await sink.staging('totals', total('link', l.id, l.clicks.total))
  // socials[].views.total is the account's lifetime views on every row, not a per-social figure: ignored.
  for (const s of each(socials.socials, SocialTotal, 'socials.socials', sink))
    await sink.staging('totals', { ...total('social', s.name, s.clicks.total), title: s.name })
  for (const d of daily) await sink.staging('social_daily', { date: d.date, name: d.name, clicks: d.clicks.total, captured_at: at })
}

async function stageTitles(data: Json, at: string, sink: PromoteSink) {
  for (const [key, value] of Object.entries(data)) {
    const t = LinkTitle.safeParse(value)
    if (!t.success || `link${t.data.id}` !== key) sink.quarantine(null, `${key}: not a link with a matching id`, value)
    else await sink.staging('titles', { captured_at: at, link_id: t.data.id, title: t.data.title, active: t.data.active ?? null })
  }
}

async function stageBreakdowns(a: Json, at: string, sink: PromoteSink) {
  const put = (kind: TotalRow['kind'], key: string, title: string | null, r: z.infer<typeof Named>) =>
    sink.staging('totals', {
      captured_at: at,
      window_from: null,
      window_to: null,
      kind,
      key,
      title,
      views: r.views?.total ?? null,
      clicks: r.clicks?.total ?? null,
    } satisfies TotalRow)
  for (const r of each(((a.referrers ?? {}) as Json).referrers, Named, 'referrers', sink)) await put('referrer', r.name ?? '(unknown)', r.name, r)
  for (const r of each(((a.devices ?? {}) as Json).devices, Named, 'devices', sink)) await put('device', r.name ?? '(unknown)', r.name, r)
  const locations = (a.locations ?? {}) as Json
  for (const r of each(locations.countries, Named, 'countries', sink)) await put('country', r.countryCode ?? r.name ?? '(unknown)', r.name, r)
  // City names repeat across countries and one is null: the key carries the country and the position.
  for (const [i, r] of each(locations.cities, Named, 'cities', sink).entries())
    await put('city', `${r.countryCode ?? '??'}|${r.name ?? '(unknown)'}|${i}`, r.name, r)
  if (a.lifetime) {
    const l = Lifetime.safeParse(a.lifetime)
    if (!l.success) sink.quarantine(null, `lifetime ${l.error.issues[0].path.join('.')}: ${l.error.issues[0].message}`, a.lifetime)
    else {
      const { views, clicks, subscribers } = l.data
      await sink.staging('lifetime', {
        captured_at: at,
        views: views.total,
        clicks: clicks.total,
        profile_clicks: clicks.profile ?? null,
        social_clicks: clicks.socials ?? null,
        subscribers: subscribers?.total ?? null,
      })
    }
  }
}
