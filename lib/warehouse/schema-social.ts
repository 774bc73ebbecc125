/** @module Warehouse row types of the social, ads, link-in-bio, video and e-mail facts (migrations 0004, 0013). */
import type { Lineage } from './schema.ts'

export interface SocialDailyTable extends Lineage {
  date: string
  platform: string
  account: string
  artist: string | null
  views: number | null
  profile_views: number | null
  likes: number | null
  comments: number | null
  shares: number | null
  followers: number | null
  reach: number | null
}

export interface AdCampaignsTable extends Lineage {
  campaign_id: string
  name: string
  status: string | null
  objective: string | null
  artist: string | null
  track: string | null
  targeting: string | null
}

export interface AdInsightsDailyTable extends Lineage {
  date: string
  campaign_id: string
  adset_id: string
  spend_cents: number
  impressions: number
  clicks: number
  reach: number | null
}

export interface AdSnapshotsTable extends Lineage {
  snapshot_at: string
  level: string
  object_id: string
  campaign_id: string
  name: string | null
  status: string | null
  date_start: string | null
  date_stop: string | null
  spend_cents: number
  impressions: number
  clicks: number
  reach: number | null
}

export interface LinkDailyTable extends Lineage {
  date: string
  account: string
  views: number | null
  unique_views: number | null
  clicks: number | null
  unique_clicks: number | null
}

export interface LinkClicksTable extends Lineage {
  date: string
  link_id: string
  title: string | null
  clicks: number
}

/** Linktree totals over a window (migration 0013): never summed across windows. */
export interface LinkTotalsTable extends Lineage {
  window_from: string
  window_to: string
  account: string
  kind: string
  key: string
  title: string | null
  views: number | null
  clicks: number | null
}

/** Linktree lifetime snapshots, one per capture day (migration 0013). */
export interface LinkLifetimeTable extends Lineage {
  date: string
  account: string
  views: number | null
  clicks: number | null
  profile_clicks: number | null
  social_clicks: number | null
  subscribers: number | null
}

export interface YoutubeDailyTable extends Lineage {
  date: string
  channel: string
  views: number | null
  watch_minutes: number | null
  subscribers_gained: number | null
  subscribers_lost: number | null
}

export interface EmailDailyTable extends Lineage {
  date: string
  list_id: string
  members: number | null
  subscribes: number | null
  unsubscribes: number | null
}

export interface EmailCampaignsTable extends Lineage {
  campaign_id: string
  list_id: string | null
  send_time: string | null
  emails_sent: number | null
  opens: number | null
  unique_opens: number | null
  clicks: number | null
  unique_clicks: number | null
}
