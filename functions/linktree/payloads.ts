/**
 * Linktree GraphQL answers (external_apis.md §6, fixtures/real/README.md §6). The admin UI fires many
 * queries and a capture's file name says nothing about which one it holds, so each answer is
 * classified by its payload keys. Only the analytics kinds carry facts; account and wallet metadata
 * are kept in raw and go no further.
 */
import { z } from 'zod'

const Total = z.object({ total: z.number().int().nonnegative() })
const IsoDate = z.iso.date()

export const TimeseriesDay = z.object({
  date: IsoDate,
  totalViews: z.number().int().nonnegative(),
  uniqueViews: z.number().int().nonnegative(),
  totalClicks: z.number().int().nonnegative(),
  uniqueClicks: z.number().int().nonnegative(),
  clickThroughRate: z.number().nullish(),
})

export const Overview = z.looseObject({
  totalViews: z.number().int().nonnegative().nullish(),
  totalClicks: z.number().int().nonnegative().nullish(),
  timeseries: z.array(z.unknown()),
})

export const LinkClicks = z.object({ id: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String), clicks: Total })
export const SocialTotal = z.object({ name: z.string().min(1), clicks: Total })
export const SocialDay = z.object({ date: IsoDate, name: z.string().min(1), clicks: Total })
export const LinkTitle = z.object({
  id: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String),
  title: z.string().nullable(),
  active: z.boolean().nullish(),
})

export const Named = z.object({ name: z.string().nullable(), views: Total.nullish(), clicks: Total.nullish(), countryCode: z.string().nullish() })

export const Lifetime = z.object({
  views: Total,
  clicks: z.object({ total: z.number().int().nonnegative(), profile: z.number().int().nullish(), socials: z.number().int().nullish() }),
  subscribers: Total.nullish(),
})

export type PayloadKind = 'overview' | 'links' | 'link_titles' | 'breakdowns' | 'subscribers' | 'errors' | 'other'

const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null)

/** What a parsed GraphQL answer holds, by its keys. */
export function payloadKind(doc: unknown): PayloadKind {
  const top = obj(doc)
  const data = obj(top?.data)
  if (!data) return Array.isArray(top?.errors) ? 'errors' : 'other'
  const a = obj(data.getAccountAnalytics)
  if (a?.overview && obj(a.overview)?.timeseries) return 'overview'
  if (a && Array.isArray(a.links)) return 'links'
  if (a && (a.lifetime || a.referrers || a.locations || a.devices)) return 'breakdowns'
  if (a?.subscribers) return 'subscribers'
  const keys = Object.keys(data)
  if (keys.length && keys.every((k) => /^link\d+$/.test(k))) return 'link_titles'
  return 'other'
}

/** The GraphQL `errors[]` messages, or null. An answer can carry both data and errors. */
export function graphqlErrors(doc: unknown): { messages: string[]; unauthenticated: boolean } | null {
  const errors = obj(doc)?.errors
  if (!Array.isArray(errors) || !errors.length) return null
  const messages = errors.map((e) => String(obj(e)?.message ?? 'unknown error'))
  const codes = errors.map((e) => String(obj(obj(e)?.extensions)?.code ?? ''))
  const unauthenticated =
    codes.some((c) => /UNAUTHENTICATED|FORBIDDEN/i.test(c)) || messages.some((m) => /unauthori[sz]ed|unauthenticated|not logged in|jwt expired/i.test(m))
  return { messages, unauthenticated }
}

/** Imports by content: any GraphQL answer (`{"data":…}` or `{"errors":…}`); the cleaner sorts them out. */
export function classifyHead(head: string): string | null {
  return /^\uFEFF?\s*\{\s*"(data|errors)"\s*:/.test(head) ? 'graphql' : null
}
