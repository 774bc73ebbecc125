/**
 * Spotify cleaner: landing → raw → staging per dataset (audience timelines, imported audience CSVs,
 * per-song stats and timelines, Web API artist profiles), then the curated files under
 * 4_curated/spotify/. Nothing here touches tidy_daily_streams: S4A streams overlap the distributors'
 * and are never added into their totals (the double-count rule).
 */
import { defineCleaner } from '../../lib/define.ts'
import { RefusedFile } from '../../lib/errors.ts'
import { exists } from '../../lib/lake/lake.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import { describePromotion, promoteLanding, type PromoteSink } from '../../lib/lake/promote.ts'
import { spotifyArtists, type SpotifyArtist } from './artists.ts'
import { CURATED, curateSpotify } from './curate.ts'
import { promoteArtistProfile, promoteAudienceCsv, promoteSongs, promoteSongTimeline, promoteTimeline } from './landing.ts'

const HANDLERS: Record<string, (file: LakeFile, sink: PromoteSink, artists: readonly SpotifyArtist[]) => Promise<void>> = {
  timeline: promoteTimeline,
  audience_csv: promoteAudienceCsv,
  songs: promoteSongs,
  song_timeline: promoteSongTimeline,
  artist: promoteArtistProfile,
}

/** Imports by content: the Audience page's CSV download is the one file a person exports by hand. */
function classify(head: string): string | null {
  const first = head
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/, 1)[0]
    .toLowerCase()
  const cols = first.split(',').map((c) => c.trim().replace(/^"|"$/g, ''))
  return ['date', 'listeners', 'streams', 'followers'].every((c) => cols.includes(c)) ? 'audience_csv' : null
}

export default defineCleaner({
  source: 'spotify',
  description: 'S4A timelines, audience CSVs, per-song metrics and Web API profiles → curated Spotify files',
  classify,
  async run(ctx) {
    const artists = spotifyArtists(ctx.sources)
    const summary = await promoteLanding(ctx, 'spotify', (file, sink) => {
      const handle = HANDLERS[file.dataset]
      if (!handle) throw new RefusedFile(`unknown Spotify landing dataset '${file.dataset}'`)
      return handle(file, sink, artists)
    })
    const nothingNew = summary.filesOut === 0 && (await exists(ctx.lake.curatedPath('spotify', CURATED.audience)))
    const curated = nothingNew ? null : await curateSpotify(ctx)
    const parts = [describePromotion(summary)]
    if (curated)
      parts.push(`curated ${curated.audience} artist-days, ${curated.trackDays} song-days, ${curated.songs} song stats, ${curated.profiles} profiles`)
    else parts.push(summary.filesIn === 0 ? 'nothing new in landing' : undefined)
    const status = summary.refused.length ? 'failed' : summary.filesIn === 0 ? 'skipped' : 'ok'
    return {
      status,
      severity: summary.refused.length || summary.rowsQuarantined ? 'medium' : undefined,
      message: parts.filter(Boolean).join('; ') || undefined,
      filesIn: summary.filesIn,
      filesOut: summary.filesOut,
      rowsIn: summary.rowsIn,
      rowsOut: summary.rowsOut,
      rowsQuarantined: summary.rowsQuarantined,
    }
  },
})
