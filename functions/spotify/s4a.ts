/**
 * Spotify for Artists internal API (external_apis.md §1b): the paths, query, headers and payload
 * schemas the extractor and the cleaner share. Counts arrive as strings ("1234", sometimes "1,234"),
 * so every count goes through `count()`.
 */
import { z } from 'zod'
import { addDays, daysBetween } from '../../lib/kpi/window.ts'
import type { DateWindow } from '../../lib/context.ts'

export const METRICS = ['listeners', 'streams', 'followers'] as const
export type Metric = (typeof METRICS)[number]

/** A count as S4A sends it: a string or number, possibly with thousands separators. */
const CountText = z.union([z.string(), z.number()])

/** Shape check at the extract boundary: anything else is drift, not data. */
export const TimelinePayload = z.object({
  timelinePoint: z.array(z.object({ date: z.string(), num: CountText.nullable().optional() }).loose()),
})
export type TimelinePayload = z.infer<typeof TimelinePayload>

const Song = z
  .object({
    id: z.string().min(1),
    trackName: z.string().nullish(),
    trackUri: z.string().nullish(),
    releaseDate: z.string().nullish(),
    numStreams: CountText.nullish(),
    numListeners: CountText.nullish(),
    numSavers: CountText.nullish(),
    numCanvasViews: CountText.nullish(),
    isDisabled: z.boolean().nullish(),
  })
  .loose()
export type Song = z.infer<typeof Song>

/** v2 recordings answer under `recordingStats`; the 2025 songs page data under `songs` or `data.songs`. */
export const SongsPayload = z.union([
  z.object({ recordingStats: z.array(Song) }),
  z.object({ songs: z.array(Song) }),
  z.object({ data: z.object({ songs: z.array(Song) }) }),
])

export function songsOf(p: z.infer<typeof SongsPayload>): Song[] {
  if ('recordingStats' in p) return p.recordingStats
  if ('songs' in p) return p.songs
  return p.data.songs
}

/** A count: digits with optional `,`/space separators; anything else is not a count (null). */
export function count(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null
  if (typeof v !== 'string') return null
  const digits = v.replace(/[,\s]/g, '')
  if (!/^\d+$/.test(digits)) return null
  const n = Number(digits)
  return Number.isSafeInteger(n) ? n : null
}

/** Request headers the S4A web app sends; the API checks the bearer, the rest keeps us unremarkable. */
export function s4aHeaders(token: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'app-platform': 'Browser',
    accept: 'application/json',
    origin: 'https://artists.spotify.com',
    referer: 'https://artists.spotify.com/',
  }
}

/** One request's time range: a named filter, or a custom range S4A caps at 366 days. */
export type TimeRange = { filter: string; label: string; query: string }

const MAX_CUSTOM_DAYS = 366

/**
 * The ranges a run asks for. Without a window, the last 12 months (what the original exported daily);
 * a backfill window is cut into custom ranges of at most 366 days.
 */
export function timeRanges(window: DateWindow, today: string): TimeRange[] {
  if (!window.from && !window.to) return [{ filter: '1year', label: '1year', query: 'time-filter=1year' }]
  const to = window.to ?? today
  const from = window.from ?? addDays(to, -(MAX_CUSTOM_DAYS - 1))
  const out: TimeRange[] = []
  for (let start = from; start <= to; start = addDays(start, MAX_CUSTOM_DAYS)) {
    const end = daysBetween(start, to) >= MAX_CUSTOM_DAYS ? addDays(start, MAX_CUSTOM_DAYS - 1) : to
    out.push({ filter: 'custom', label: `${start}_${end}`, query: `time-filter=custom&start-date=${start}&end-date=${end}` })
  }
  return out
}

export const paths = {
  timeline: (artistId: string, metric: Metric, r: TimeRange) =>
    `/s4x-insights-api/v1/artist/${artistId}/audience/timeline/${metric}/${artistId}?aggregation-level=recording&${r.query}`,
  recordings: (artistId: string, r: TimeRange) => `/s4x-insights-api/v2/artist/${artistId}/recordings?aggregation-level=recording&${r.query}`,
  recordingTimeline: (artistId: string, trackId: string, r: TimeRange) =>
    `/s4x-insights-api/v1/artist/${artistId}/recording/${trackId}/timeline/streams?aggregation-level=recording&${r.query}`,
}

/** Landing names carry what the payload itself does not: artist, metric/track and range. */
export const landingNames = {
  timeline: (artistId: string, metric: Metric, r: TimeRange) => `s4a_timeline_${artistId}_${metric}_${r.label}.json`,
  songs: (artistId: string, r: TimeRange) => `s4a_recordings_${artistId}_${r.label}.json`,
  songTimeline: (artistId: string, trackId: string, r: TimeRange) => `s4a_recording_${artistId}_track-${trackId}_${r.label}.json`,
  artist: (artistId: string) => `webapi_artist_${artistId}.json`,
}

export const nameParts = {
  metric: (name: string): Metric | null => (/_timeline_[0-9A-Za-z]{22}_(listeners|streams|followers)_/.exec(name)?.[1] as Metric) ?? null,
  track: (name: string): string | null => /_track-([0-9A-Za-z]+)_/.exec(name)?.[1] ?? null,
  range: (name: string): string | null =>
    /_(1day|7day|28day|1year|last5years|all|sincelaunch|\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2})\.json$/.exec(name)?.[1] ?? null,
}
