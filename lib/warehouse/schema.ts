/**
 * @module Table types for Kysely. The schema itself comes only from migrations/; these types mirror it.
 */
import type { Generated, Insertable, Selectable } from 'kysely'

export interface RunsTable {
  id: string
  source: string
  trigger: string
  mode: string
  skip_extract: number
  window_from: string | null
  window_to: string | null
  status: string
  severity: string | null
  message: string | null
  started_at: string
  finished_at: string | null
}

export interface StepsTable {
  run_id: string
  step: string
  status: string
  severity: string | null
  files_in: number
  files_out: number
  rows_in: number
  rows_out: number
  rows_quarantined: number
  message: string | null
  started_at: string
  finished_at: string
}

export interface QuarantineTable {
  id: Generated<number>
  run_id: string | null
  source: string
  dataset: string
  file: string
  line: number | null
  reason: string
  record: string | null
  created_at: Generated<string>
}

export interface SourceStateTable {
  source: string
  key: string
  value: string
  updated_at: string
}

export interface ArtistsTable {
  name: string
}

export interface ArtistAliasesTable {
  alias: string
  artist: string
}

export interface StreamsDailyTable {
  date: string
  distributor: string
  platform: string
  streams: number
  extracted_at: string
  run_id: string | null
}

export interface RevenueLinesTable {
  line_id: string
  distributor: string
  reporting_date: string
  sale_month: string
  store: string
  platform: string
  artist: string
  title: string
  isrc: string
  upc: string
  quantity: number
  team_percentage: string
  source_type: string
  country: string
  withheld_e8: number
  earnings_e8: number
  recoup_e8: number | null
  date_inserted: string | null
  extracted_at: string
  run_id: string | null
}

export interface DB {
  runs: RunsTable
  steps: StepsTable
  quarantine: QuarantineTable
  source_state: SourceStateTable
  artists: ArtistsTable
  artist_aliases: ArtistAliasesTable
  streams_daily: StreamsDailyTable
  revenue_lines: RevenueLinesTable
}

export type Run = Selectable<RunsTable>
export type NewRun = Insertable<RunsTable>
export type Step = Selectable<StepsTable>
