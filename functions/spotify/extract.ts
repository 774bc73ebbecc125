/**
 * Spotify for Artists extractor: per artist account, the audience timeline (listeners, streams,
 * followers per day) and, where the session allows, per-song stats and per-song daily streams, over
 * plain HTTP with a bearer token renewed from the stored S4A browser session (session.ts). Each account stands alone: one whose
 * session is not usable is skipped and named in the message, the others are extracted, and the step
 * is needs_auth only when every account failed auth. The optional Web API artist lookup uses a client
 * token from the credential store and never fails the step.
 */
import type { Context } from '../../lib/context.ts'
import type { Severity } from '../../lib/define.ts'
import { defineExtractor } from '../../lib/define.ts'
import type { StoredSession } from '../../lib/credentials/store.ts'
import { UpstreamError } from '../../lib/upstream/client.ts'
import { upstreamFailure } from '../../lib/upstream/outcome.ts'
import { withAccessToken } from '../../lib/credentials/renew.ts'
import { renewSpotifyToken } from './session.ts'
import { spotifyArtists, type SpotifyArtist } from './artists.ts'
import { landingNames, METRICS, paths, s4aHeaders, SongsPayload, songsOf, TimelinePayload, timeRanges, type TimeRange } from './s4a.ts'
import { ArtistObject, WEB_API_CREDENTIAL } from './web-api.ts'

interface AccountResult {
  kind: 'ok' | 'auth' | 'failed'
  filesOut: number
  message: string
  severity?: Severity
}

// Where a captured S4A session may keep its access token besides the `token` field.
const TOKEN_KEYS = /^(access_?token|accessToken|token)$/i

/** The S4A bearer token of a stored session: its token field, else a token kept in the page's storage. */
export function sessionToken(s: StoredSession | null): string | null {
  if (!s) return null
  if (s.token) return s.token
  const kv = s.storageState?.origins.flatMap((o) => o.localStorage).find((e) => TOKEN_KEYS.test(e.name) && e.value.length >= 16)
  return kv?.value ?? null
}

const isAuth = (err: unknown) => err instanceof UpstreamError && err.kind === 'needs_auth'

async function extractAccount(ctx: Context, a: SpotifyArtist, ranges: TimeRange[]): Promise<AccountResult> {
  const status = await ctx.credentials.status('spotify', a.account)
  const relogin = `log in again with \`${status.command}\``
  if (status.status !== 'valid' && status.status !== 'expiring') {
    return { kind: 'auth', filesOut: 0, message: `${a.account}: skipped, session ${status.status}: ${relogin}` }
  }
  const base = ctx.sources.get('spotify')!.baseUrls.main
  let filesOut = 0
  let headers: Record<string, string> = {}
  try {
    // A token the API refuses is renewed once from the session and the timelines fetched again
    // (landing the same bytes twice is a no-op).
    await withAccessToken(
      ctx,
      'spotify',
      a.account,
      renewSpotifyToken,
      async (token) => {
        headers = s4aHeaders(token)
        filesOut = 0
        for (const r of ranges) {
          for (const metric of METRICS) {
            const { raw } = await ctx.upstream.json(base + paths.timeline(a.id, metric, r), TimelinePayload, { headers, source: 'spotify' })
            await ctx.lake.land('spotify', 'timeline', landingNames.timeline(a.id, metric, r), raw, ctx.now)
            filesOut++
          }
        }
      },
      { initial: sessionToken },
    )
  } catch (err) {
    // A session that no longer renews is needs_auth for this account only, with its login command.
    const o = upstreamFailure('spotify', err, { account: a.account, filesOut, what: `${a.account}: audience timeline` })
    return { kind: o.status === 'needs_auth' ? 'auth' : 'failed', filesOut, severity: o.severity, message: o.message ?? o.status }
  }
  const songs = await extractSongs(ctx, a, headers, ranges)
  const expiring = status.status === 'expiring' ? ` (session expiring in ${status.daysLeft} days: run \`${status.command}\`)` : ''
  return {
    kind: 'ok',
    filesOut: filesOut + songs.filesOut,
    severity: songs.severity,
    message: `${a.account}: ${filesOut} timeline files, ${songs.note}${expiring}`,
  }
}

/** Per-song stats and daily streams: best effort, as the session allows. */
async function extractSongs(ctx: Context, a: SpotifyArtist, headers: Record<string, string>, ranges: TimeRange[]) {
  const base = ctx.sources.get('spotify')!.baseUrls.main
  let filesOut = 0
  let skipped = 0
  try {
    for (const r of ranges) {
      const { raw, data } = await ctx.upstream.json(base + paths.recordings(a.id, r), SongsPayload, { headers, source: 'spotify' })
      await ctx.lake.land('spotify', 'songs', landingNames.songs(a.id, r), raw, ctx.now)
      filesOut++
      for (const song of songsOf(data)) {
        // An id that is not base-62 would change the request path; such a song is skipped, not fetched.
        if (song.isDisabled || !/^[0-9A-Za-z]+$/.test(song.id)) {
          skipped++
          continue
        }
        const { raw: daily } = await ctx.upstream.json(base + paths.recordingTimeline(a.id, song.id, r), TimelinePayload, { headers, source: 'spotify' })
        await ctx.lake.land('spotify', 'song_timeline', landingNames.songTimeline(a.id, song.id, r), daily, ctx.now)
        filesOut++
      }
    }
  } catch (err) {
    const why = (err as Error).message
    if (isAuth(err)) return { filesOut, note: `per-song metrics not available to this session (${why})` }
    return { filesOut, severity: 'medium' as const, note: `per-song metrics incomplete after ${filesOut} files: ${why}` }
  }
  return { filesOut, note: `${filesOut} per-song files${skipped ? ` (${skipped} disabled songs skipped)` : ''}` }
}

/** Optional Web API artist lookup; a missing or rejected client token only costs the lookup. */
async function lookupArtists(ctx: Context): Promise<{ filesOut: number; note: string }> {
  const token =
    (ctx.sources.get('spotify')!.settings.apiToken as string | undefined) ??
    (await ctx.credentials.load(WEB_API_CREDENTIAL.source, WEB_API_CREDENTIAL.account))?.token
  if (!token) return { filesOut: 0, note: 'web API lookup off (no SPOTIFY_API_TOKEN and no stored client token)' }
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' }
  let filesOut = 0
  try {
    for (const a of spotifyArtists(ctx.sources)) {
      const { raw } = await ctx.upstream.json(`${ctx.sources.get('spotify')!.baseUrls.webApi}/v1/artists/${a.id}`, ArtistObject, { headers, source: 'spotify' })
      await ctx.lake.land('spotify', 'artist', landingNames.artist(a.id), raw, ctx.now)
      filesOut++
    }
  } catch (err) {
    return { filesOut, note: `web API lookup skipped: ${(err as Error).message}` }
  }
  return { filesOut, note: `web API: ${filesOut} artist profiles` }
}

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 }
const worst = (xs: (Severity | undefined)[]) => xs.reduce<Severity | undefined>((w, s) => (s && (!w || RANK[s] > RANK[w]) ? s : w), undefined)

export default defineExtractor({
  source: 'spotify',
  description: 'Spotify for Artists audience timeline and per-song metrics for ZONE A0 and PIG1987, with the stored sessions',
  async run(ctx) {
    const ranges = timeRanges(ctx.window, ctx.now.toISOString().slice(0, 10))
    const accounts: AccountResult[] = []
    for (const a of spotifyArtists(ctx.sources)) accounts.push(await extractAccount(ctx, a, ranges))
    const web = await lookupArtists(ctx)
    const filesOut = accounts.reduce((s, r) => s + r.filesOut, web.filesOut)
    const message = [...accounts.map((r) => r.message), web.note].join('; ')
    const authFailed = accounts.filter((r) => r.kind === 'auth').length
    if (accounts.some((r) => r.kind === 'failed')) {
      return { status: 'failed', severity: worst(accounts.map((r) => r.severity)), filesOut, message }
    }
    if (authFailed === accounts.length) return { status: 'needs_auth', severity: 'low', filesOut, message }
    // A skipped account is a low-severity "log in again"; anything worse among the others still shows.
    return { status: 'ok', severity: worst([authFailed ? 'low' : undefined, ...accounts.map((r) => r.severity)]), filesOut, message }
  },
})
