/**
 * @module defineKpi: a KPI is a warehouse query wrapped in the common envelope (KPIS.md): window
 * resolution, freshness on the newest business date, `null` for "not reported yet", and the sources.
 */
import type { Kysely } from 'kysely'
import type { SessionStatus } from '../credentials/store.ts'
import type { Sources } from '../source.ts'
import type { DB } from '../warehouse/schema.ts'
import { filteredEnv, filterOf, LABEL_WIDE, notApplicableNote, type FilterState } from './filter.ts'
import { newestBusinessDate } from './queries.ts'
import { daysBetween, resolveWindow, type KpiQuery, type KpiRange, type Window } from './window.ts'

export type Freshness = 'fresh' | 'warn' | 'stale' | 'empty'

export interface SeriesPoint {
  date: string
  value: number | null
  [k: string]: unknown
}
export interface BreakdownRow {
  key: string
  value: number | null
  [k: string]: unknown
}

/** What a KPI's compute returns; the envelope is added around it. */
export interface KpiBody {
  value: number | null
  series?: SeriesPoint[]
  breakdown?: BreakdownRow[]
  estimated?: boolean
  note?: string
  [k: string]: unknown
}

export interface KpiEnvelope extends KpiBody {
  name: string
  title: string
  unit: string
  asOf: string | null
  freshness: Freshness
  window: Window
  sources: string[]
}

export interface KpiEnv {
  db: Kysely<DB>
  /** Today's date in the label's time zone (BEDROT_TZ, YYYY-MM-DD); injectable so tests are not tied to the calendar. */
  today: string
  /** The declared sources (freshness thresholds, which tables hold their newest business date). */
  sources: Sources
  /** Login session statuses (the `alerts` KPI warns about expiring ones); absent → no session alerts. */
  sessions?: () => Promise<readonly SessionStatus[]>
}

export interface KpiSpec {
  name: string
  title: string
  unit: string
  description: string
  sources: string[]
  /** Business-date age (days) after which the data is `warn` / `stale`. */
  freshness?: { warnDays: number; staleDays: number }
  /** Reads `env.sessions` (its cached result then also depends on the session statuses). */
  usesSessions?: boolean
  /** Oldest and newest business date the KPI's sources hold (null when empty). */
  range(env: KpiEnv): Promise<KpiRange>
  compute(env: KpiEnv, window: Window): Promise<KpiBody>
}

export interface KpiDefinition {
  kind: 'kpi'
  usesSessions: boolean
  name: string
  title: string
  unit: string
  description: string
  sources: string[]
  evaluate(env: KpiEnv, query: KpiQuery): Promise<KpiEnvelope>
}

export function defineKpi(spec: KpiSpec): KpiDefinition {
  const thresholds = spec.freshness ?? { warnDays: 3, staleDays: 7 }
  return {
    kind: 'kpi',
    usesSessions: spec.usesSessions ?? false,
    name: spec.name,
    title: spec.title,
    unit: spec.unit,
    description: spec.description,
    sources: spec.sources,
    async evaluate(env, query) {
      const range = await spec.range(env)
      const window = resolveWindow(query, range, env.today)
      const head = { name: spec.name, title: spec.title, unit: spec.unit, window, sources: spec.sources }
      if (range.max === null) return { ...head, value: null, asOf: null, freshness: 'empty', note: await emptyNote(env, spec.sources) }
      const age = daysBetween(range.max, env.today)
      const freshness: Freshness = age <= thresholds.warnDays ? 'fresh' : age <= thresholds.staleDays ? 'warn' : 'stale'
      const filter = filterOf(query)
      if (!filter) return { ...head, ...(await spec.compute(env, window)), asOf: range.max, freshness }
      let state: FilterState = 'not applicable'
      let body: KpiBody | null = null
      if (!LABEL_WIDE.has(spec.name)) {
        const narrowed = await filteredEnv(env, filter)
        body = await spec.compute(narrowed.env, window)
        state = narrowed.state()
      }
      if (state !== 'applied') {
        body = await spec.compute(env, window)
        body = { ...body, note: [body.note, notApplicableNote(filter)].filter(Boolean).join('; ') }
      }
      return { ...head, ...body!, asOf: range.max, freshness, filter: state }
    },
  }
}

/**
 * Why a KPI is empty, naming only the sources that have loaded nothing: "no data from metaads,
 * distrokid, toolost, spotify yet" was wrong when DistroKid and TooLost had a year of streams and only
 * Meta's daily insights were missing.
 */
async function emptyNote(env: KpiEnv, sources: string[]): Promise<string> {
  const silent: string[] = []
  for (const name of sources) {
    const s = env.sources.get(name)
    if (!s || (await newestBusinessDate(env.db, s)) === null) silent.push(name)
  }
  return silent.length ? `no data from ${silent.join(', ')} yet` : `${sources.join(', ')} have data, but none of what this needs yet`
}
