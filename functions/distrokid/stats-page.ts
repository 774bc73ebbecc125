/**
 * @module DistroKid stats pages (HTML snapshots of /stats/) → daily series. The Spotify page embeds
 * amCharts configs (`trend365day` is the daily one, since the first release); the Apple Music page
 * embeds one `var chartData = {…};` whose `last365days` block is daily. A saved sign-in page is
 * refused with that reason, never read as zero streams.
 */
import { z } from 'zod'
import { RefusedFile } from '../../lib/errors.ts'

export type StatsPlatform = 'spotify' | 'apple'
export interface DailyPoint {
  date: string
  streams: number
}
export interface StatsPage {
  platform: StatsPlatform
  points: DailyPoint[]
  /** The page's own total for the daily series, when it states one (a consistency check). */
  statedTotal: number | null
}

const isoDate = z.iso.date()
const count = z.number().int().min(0)
const SpotifyPoint = z.object({ category: isoDate, 'column-1': count })
const AppleBlock = z.object({
  total: z.coerce.number().optional(),
  dataProvider: z.array(z.object({ field: isoDate, value: count })),
})
const AppleChartData = z.object({ last365days: AppleBlock }).passthrough()

const SIGN_IN = /sign in to your distrokid account|<form[^>]+(?:signin|login)|type=["']password["']/i

/** Which kind of stats page this is, from its content alone (null when it is neither). */
export function statsPageKind(html: string): StatsPlatform | 'signin' | null {
  if (/AmCharts\.makeChart\(\s*["']trend365day["']/.test(html)) return 'spotify'
  if (/var\s+chartData\s*=/.test(html)) return 'apple'
  if (SIGN_IN.test(html)) return 'signin'
  return null
}

export function parseStatsPage(html: string): StatsPage {
  const kind = statsPageKind(html)
  if (kind === 'signin') {
    throw new RefusedFile("this is DistroKid's sign-in page (the session had expired when it was saved), not stats data")
  }
  if (kind === 'spotify') return parseSpotify(html)
  if (kind === 'apple') return parseApple(html)
  throw new RefusedFile('no DistroKid chart data in this page (neither trend365day nor chartData)')
}

function parseSpotify(html: string): StatsPage {
  const start = html.search(/AmCharts\.makeChart\(\s*["']trend365day["']/)
  const dp = /"dataProvider"\s*:\s*\[/g
  dp.lastIndex = start
  const m = dp.exec(html)
  const end = m ? html.indexOf(']', m.index + m[0].length) : -1
  if (!m || end < 0) throw new RefusedFile('trend365day chart has no dataProvider array (page layout changed?)')
  // amCharts configs are JS, not JSON: a trailing comma before `]` occurs.
  const text = html.slice(m.index + m[0].length - 1, end + 1).replace(/,\s*\]$/, ']')
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new RefusedFile('trend365day dataProvider is not valid JSON (truncated page?)')
  }
  const parsed = z.array(SpotifyPoint).safeParse(raw)
  if (!parsed.success) throw new RefusedFile(`trend365day point ${describe(parsed.error)}`)
  const points = parsed.data.map((p) => ({ date: p.category, streams: p['column-1'] }))
  return { platform: 'spotify', points: unique(points), statedTotal: statedSpotifyTotal(html) }
}

function parseApple(html: string): StatsPage {
  const m = /var\s+chartData\s*=\s*(\{.*?\})\s*;\s*$/m.exec(html)
  if (!m) throw new RefusedFile('chartData is not a complete object on one line (truncated page?)')
  let raw: unknown
  try {
    raw = JSON.parse(m[1])
  } catch {
    throw new RefusedFile('chartData is not valid JSON (truncated page?)')
  }
  const parsed = AppleChartData.safeParse(raw)
  if (!parsed.success) throw new RefusedFile(`chartData.${describe(parsed.error)}`)
  const block = parsed.data.last365days
  const points = block.dataProvider.map((p) => ({ date: p.field, streams: p.value }))
  return { platform: 'apple', points: unique(points), statedTotal: block.total ?? null }
}

/** `Last 365 days` in the header table, thousands separators and markup between cells. */
function statedSpotifyTotal(html: string): number | null {
  const m = /Last 365 days[\s\S]{0,400}?>\s*([\d,]+)\s*</.exec(html)
  return m ? Number(m[1].replace(/,/g, '')) : null
}

function unique(points: DailyPoint[]): DailyPoint[] {
  const seen = new Set<string>()
  for (const p of points) {
    if (seen.has(p.date)) throw new RefusedFile(`date ${p.date} appears twice in one series`)
    seen.add(p.date)
  }
  return points
}

function describe(err: z.ZodError): string {
  const i = err.issues[0]
  return `${i.path.join('.')}: ${i.message}`
}
