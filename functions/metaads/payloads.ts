/**
 * Meta Marketing API payloads (external_apis.md §3, fixtures/real/README.md §5): campaigns, ad sets,
 * ads and insights, as Graph responses (`{data: [...], paging}`) or as the raw-dump files (bare
 * arrays). Every number arrives as a string; ids are 18-digit strings above 2^53 and stay strings;
 * spend is a decimal in major units (→ exact cents), budgets are already cents.
 */
import { z } from 'zod'

export type Dataset = 'campaigns' | 'adsets' | 'ads' | 'insights_daily' | 'insights_snapshot'
export const DATASETS: readonly Dataset[] = ['campaigns', 'adsets', 'ads', 'insights_daily', 'insights_snapshot']

/** An object id: digits as text. Short ids sent as JSON numbers are exact and accepted as text. */
export const Id = z.union([z.string().regex(/^\d+$/, 'not a Graph object id'), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).transform(String)])

/** A count sent as a digit string (or, tolerated, a JSON integer). */
export const Count = z.union([
  z.string().regex(/^\d+$/, 'not a count').transform(Number).pipe(z.number().int().max(Number.MAX_SAFE_INTEGER)),
  z.number().int().nonnegative(),
])

const SPEND = /^(\d+)(?:\.(\d+))?$/

/** Spend text in major units ("18", "11.5", "36.24") → exact integer cents; null when not 2-decimal exact. */
export function spendCents(text: string): number | null {
  const m = SPEND.exec(text.trim())
  if (!m) return null
  const [, whole, frac = ''] = m
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) return null
  const cents = Number(whole) * 100 + Number(frac.slice(0, 2).padEnd(2, '0'))
  return Number.isSafeInteger(cents) ? cents : null
}

export const Spend = z.union([z.string(), z.number().nonnegative().transform(String)]).transform((s, ctx) => {
  const c = spendCents(s)
  if (c === null) ctx.addIssue({ code: 'custom', message: `not an amount with at most 2 decimals: ${JSON.stringify(s)}` })
  return c ?? z.NEVER
})

/** Budgets are minor units (cents) as digit strings; "0" and absent both mean "no budget of that kind". */
const Budget = Count.optional().transform((v) => (v ? v : null))

const IsoDate = z.iso.date()

export const Campaign = z.looseObject({
  id: Id,
  name: z.string(),
  status: z.string().optional(),
  objective: z.string().optional(),
  effective_status: z.string().optional(),
  daily_budget: Budget,
  lifetime_budget: Budget,
})
export const AdSet = z.looseObject({
  id: Id,
  name: z.string(),
  campaign_id: Id,
  status: z.string().optional(),
  effective_status: z.string().optional(),
  daily_budget: Budget,
  lifetime_budget: Budget,
})
export const Ad = z.looseObject({
  id: Id,
  name: z.string(),
  adset_id: Id,
  campaign_id: Id,
  status: z.string().optional(),
  effective_status: z.string().optional(),
})

/** One insights row: daily (`date_start == date_stop`) or lifetime (a dump); campaign or ad-set grain. */
export const InsightRow = z
  .looseObject({
    campaign_id: Id,
    campaign_name: z.string().optional(),
    adset_id: Id.optional(),
    adset_name: z.string().optional(),
    ad_id: Id.optional(),
    ad_name: z.string().optional(),
    spend: Spend,
    impressions: Count,
    clicks: Count.default(0),
    reach: Count.optional(),
    date_start: IsoDate,
    date_stop: IsoDate,
  })
  .refine((r) => r.date_start <= r.date_stop, 'date_start after date_stop')

export const ROW_SCHEMAS = {
  campaigns: Campaign,
  adsets: AdSet,
  ads: Ad,
  insights_daily: InsightRow,
  insights_snapshot: InsightRow,
} as const

/** A Graph list page. `paging.next` is absent on the last page (a page may be empty and still have one). */
export const GraphPage = z.looseObject({
  data: z.array(z.unknown()),
  paging: z.looseObject({ next: z.string().optional() }).optional(),
})

/** What the extractor lands per list: every page's rows, the request that produced them, no token. */
export const LandedList = z.looseObject({
  data: z.array(z.unknown()),
  request: z.looseObject({ since: IsoDate.optional(), until: IsoDate.optional() }).optional(),
})

/**
 * Which dataset a file is, from its first bytes (the name says nothing; the head may cut the file
 * short, so this looks at keys, not a parse). Insights carry `date_start` and `spend`: a bare array
 * is a lifetime dump, a `{data: …}` document a daily Graph response. Ads name their ad set, ad sets
 * their campaign; campaigns name neither.
 */
export function classifyHead(head: string): Dataset | null {
  const text = head.replace(/^\uFEFF/, '')
  const array = /^\s*\[/.test(text)
  const graph = /^\s*\{/.test(text) && /"data"\s*:\s*\[/.test(text)
  if (!array && !graph) return null
  const has = (key: string) => new RegExp(`"${key}"\\s*:`).test(text)
  if (has('date_start') && has('spend')) return array ? 'insights_snapshot' : 'insights_daily'
  if (!has('id') || !has('name')) return null
  if (has('adset_id')) return 'ads'
  if (has('campaign_id')) return 'adsets'
  return 'campaigns'
}

/** The first problem of a failed row parse, as "field: message". */
export function rowProblem(error: z.ZodError): string {
  const i = error.issues[0]
  return `${i.path.join('.') || 'row'}: ${i.message}`
}
