/**
 * The warehouse table only YouTube writes, added to the warehouse's table types from here (module
 * augmentation), so adding it touched this folder and its migration only.
 */
import type { Lineage } from '../../lib/warehouse/schema.ts'

export interface YoutubeChannelsTable extends Lineage {
  snapshot_date: string
  channel: string
  title: string | null
  views: number | null
  subscribers: number | null
  videos: number | null
}

declare module '../../lib/warehouse/schema.ts' {
  interface DB {
    youtube_channels: YoutubeChannelsTable
  }
}
