/**
 * @module Table types for Kysely. The schema itself comes only from migrations/; these types mirror it.
 */
import type { Generated, Insertable, Selectable } from 'kysely'
import type {
  SocialDailyTable,
  AdCampaignsTable,
  AdInsightsDailyTable,
  AdSnapshotsTable,
  LinkDailyTable,
  LinkClicksTable,
  LinkTotalsTable,
  LinkLifetimeTable,
  YoutubeDailyTable,
  EmailDailyTable,
  EmailCampaignsTable,
} from './schema-social.ts'

export type * from './schema-social.ts'

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
  pid: number | null
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

export interface Lineage {
  extracted_at: string
  run_id: string | null
}

export interface SpotifyAudienceDailyTable extends Lineage {
  date: string
  artist: string
  listeners: number | null
  streams: number | null
  followers: number | null
}

export interface SpotifyTrackDailyTable extends Lineage {
  date: string
  artist: string
  track_id: string
  track_name: string | null
  isrc: string | null
  streams: number | null
  listeners: number | null
  saves: number | null
}

export interface NotificationsTable {
  id: Generated<number>
  event_key: string
  kind: string
  level: string
  source: string | null
  account: string | null
  text: string
  command: string | null
  created_at: string
  webhook_at: string | null
  email_at: string | null
  attempts: Generated<number>
  last_error: string | null
}

/** A window total per track (TooLost tracksTotal): a snapshot of its window, never summed across windows. */
export interface TrackStreamsSnapshotTable extends Lineage {
  distributor: string
  platform: string
  period_from: string
  period_to: string
  isrc: string
  title: string | null
  release: string | null
  streams: number
}

/** A window total per country (TooLost countryTotal): a snapshot, like TrackStreamsSnapshotTable. */
export interface CountryStreamsSnapshotTable extends Lineage {
  distributor: string
  platform: string
  period_from: string
  period_to: string
  country: string
  streams: number
}

export interface RunClaimsTable {
  source: string
  run_id: string
  holder: string
  lease_until: number
}

export interface DailyRunsTable {
  day: string
  source: string
  status: string
  run_id: string | null
  message: string | null
  updated_at: string
}

export interface DB {
  notifications: NotificationsTable
  runs: RunsTable
  run_claims: RunClaimsTable
  daily_runs: DailyRunsTable
  steps: StepsTable
  quarantine: QuarantineTable
  source_state: SourceStateTable
  artists: ArtistsTable
  artist_aliases: ArtistAliasesTable
  streams_daily: StreamsDailyTable
  revenue_lines: RevenueLinesTable
  spotify_audience_daily: SpotifyAudienceDailyTable
  spotify_track_daily: SpotifyTrackDailyTable
  social_daily: SocialDailyTable
  ad_campaigns: AdCampaignsTable
  ad_insights_daily: AdInsightsDailyTable
  ad_snapshots: AdSnapshotsTable
  link_daily: LinkDailyTable
  link_clicks: LinkClicksTable
  link_totals: LinkTotalsTable
  link_lifetime: LinkLifetimeTable
  youtube_daily: YoutubeDailyTable
  email_daily: EmailDailyTable
  email_campaigns: EmailCampaignsTable
  track_streams_snapshot: TrackStreamsSnapshotTable
  country_streams_snapshot: CountryStreamsSnapshotTable
}

export type Run = Selectable<RunsTable>
export type NewRun = Insertable<RunsTable>
export type Step = Selectable<StepsTable>
