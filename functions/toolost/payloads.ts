/**
 * TooLost portal analytics payloads (external_apis.md §5, fixtures/real/README.md §3). The top-level
 * shapes decide whether a file is a Spotify or an Apple payload at all (drift otherwise); rows are
 * checked one by one so a single odd row is quarantined instead of losing the whole file.
 */
import { z } from 'zod'
import { parseE8 } from '../../lib/money.ts'

export type Platform = 'spotify' | 'apple'

/** `release=` empty means all releases; `date=thisYear` (1 January → today) is the only preset known. */
export const ENDPOINTS: Record<Platform, string> = {
  spotify: '/api/portal/analytics/spotify?release=&date=thisYear',
  // The trailing slash before `?` is how the portal itself calls it (seed_pipeline.md §3.1).
  apple: '/api/portal/analytics/apple/?release=&date=thisYear',
}

const rows = z.array(z.unknown())

/** Spotify: `streams[]` of `{date, streams: "123"}`; `discovery[]` of `{date, streams, fees}` strings. */
export const SpotifyPayload = z.looseObject({ streams: rows, discovery: rows.optional() })

/** Apple: `totalStreams[]` of `{date, streams: 12}` plus Shazam, per-track and per-country blocks. */
export const ApplePayload = z.looseObject({
  totalStreams: rows,
  totalShazam: rows.optional(),
  tracksTotal: rows.optional(),
  countryTotal: rows.optional(),
  streamTotal: z.int().optional(),
})

export const PAYLOADS = { spotify: SpotifyPayload, apple: ApplePayload } as const

/** Which payload a parsed document is: Apple has `totalStreams`, Spotify a top-level `streams` array. */
export function payloadKind(doc: unknown): Platform | null {
  if (ApplePayload.safeParse(doc).success) return 'apple'
  if (SpotifyPayload.safeParse(doc).success) return 'spotify'
  return null
}

/**
 * The same decision from the first bytes of a file (imports classify by content; the head may cut a
 * long payload short, so this cannot parse). Only Spotify has an array under a `streams` key: Apple's
 * `streams` fields are per-row scalars.
 */
export function classifyHead(head: string): Platform | null {
  if (!/^\uFEFF?\s*\{/.test(head)) return null
  if (/"totalStreams"\s*:\s*\[/.test(head)) return 'apple'
  if (/"streams"\s*:\s*\[/.test(head)) return 'spotify'
  return null
}

const IsoDate = z.iso.date()

/** Counts arrive as JSON integers (Apple) or digit strings (Spotify, Shazam); both become integers. */
const Count = z.unknown().transform((v, ctx) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN
  if (Number.isSafeInteger(n) && n >= 0) return n
  ctx.addIssue({ code: 'custom', message: `not a count: ${JSON.stringify(v) ?? 'missing'}` })
  return z.NEVER
})

const UsdDecimal = z.string().refine((s) => parseE8(s) !== null, 'not a decimal amount')

const ISRC = /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/

export const DailyRow = z.object({ date: IsoDate, streams: Count })
export const DiscoveryRow = z.object({ date: IsoDate, streams: Count, fees: UsdDecimal })
export const TrackRow = z.object({
  isrc: z
    .string()
    .transform((s) => s.replace(/-/g, '').trim().toUpperCase())
    .pipe(z.string().regex(ISRC, 'not an ISRC')),
  streams: Count,
  track: z.string(),
  release: z.string(),
  cover: z.string().nullish(),
})
export const CountryRow = z.object({ country: z.string().trim().min(1), streams: Count })

/** The first problem of a failed row parse, as "field: message". */
export function rowProblem(error: z.ZodError): string {
  const i = error.issues[0]
  return `${i.path.join('.') || 'row'}: ${i.message}`
}
