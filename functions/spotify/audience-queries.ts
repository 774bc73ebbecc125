/**
 * Queries the Spotify KPIs share, over spotify_audience_daily only: S4A numbers are Spotify's own and
 * are never mixed with distributor streams. Listeners and followers are reported values per day, so
 * they are read (latest, first, per date), never summed across days.
 */
import type { KpiEnv } from '../../lib/kpi/define.ts'
import type { Window } from '../../lib/kpi/window.ts'

export type AudienceMeasure = 'listeners' | 'streams' | 'followers'

export interface ArtistValue {
  date: string
  artist: string
  value: number
}

export async function audienceRange({ db }: KpiEnv) {
  const r = await db
    .selectFrom('spotify_audience_daily')
    .select((eb) => [eb.fn.min('date').as('min'), eb.fn.max('date').as('max')])
    .executeTakeFirst()
  return { min: (r?.min as string | null) ?? null, max: (r?.max as string | null) ?? null }
}

/** Reported values of one measure in the window, by artist then date; unreported days are absent. */
export async function audienceValues({ db }: KpiEnv, w: Window, measure: AudienceMeasure): Promise<ArtistValue[]> {
  const rows = await db
    .selectFrom('spotify_audience_daily')
    .select(['date', 'artist', `${measure} as value`])
    .where('date', '>=', w.from)
    .where('date', '<=', w.to)
    .where(measure, 'is not', null)
    .orderBy('artist')
    .orderBy('date')
    .execute()
  return rows.map((r) => ({ date: r.date, artist: r.artist, value: Number(r.value) }))
}

/** Rows grouped per artist, each artist's rows in date order. */
export function byArtist(rows: ArtistValue[]): Map<string, ArtistValue[]> {
  const out = new Map<string, ArtistValue[]>()
  for (const r of rows) {
    const list = out.get(r.artist)
    if (list) list.push(r)
    else out.set(r.artist, [r])
  }
  return out
}

/** One point per date: Σ over the artists reporting that date, plus each artist's own value. */
export function seriesByDate(rows: ArtistValue[]) {
  const dates = new Map<string, { date: string; value: number; [artist: string]: number | string }>()
  for (const r of rows) {
    let p = dates.get(r.date)
    if (!p) dates.set(r.date, (p = { date: r.date, value: 0 }))
    p.value += r.value
    p[r.artist] = r.value
  }
  return [...dates.values()].sort((a, b) => (a.date < b.date ? -1 : 1))
}

export const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0)
