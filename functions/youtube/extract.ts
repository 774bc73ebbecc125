/**
 * YouTube extractor: trade the stored refresh token for an access token (kept until five minutes before
 * it runs out, so a long run renews it in time), then per channel the trailing 30 days of the Analytics
 * report and the Data API channel totals (following `nextPageToken`). An exhausted daily quota is not
 * retried: the source is skipped until the quota resets at midnight Pacific, keeping what was fetched.
 */
import type { z } from 'zod'
import type { Context } from '../../lib/context.ts'
import { defineExtractor } from '../../lib/define.ts'
import type { Account } from '../../lib/source.ts'
import { UpstreamError } from '../../lib/upstream/client.ts'
import { upstreamFailure } from '../../lib/upstream/outcome.ts'
import { fetchWindow } from '../../lib/upstream/window.ts'
import { getState, setState } from '../../lib/warehouse/state.ts'
import { ChannelsPayload, classifyGoogleError, QuotaExhausted, ReportPayload, TokenPayload } from './payloads.ts'

const METRICS = 'views,estimatedMinutesWatched,subscribersGained,subscribersLost'
const opts = { classifyError: classifyGoogleError, source: 'youtube' }
const RENEW_BEFORE_MS = 5 * 60_000
const cache = new Map<string, { token: string; until: number }>()
const cacheKey = (ctx: Context, account: string) => `${ctx.sources.get('youtube')!.baseUrls.oauth}|${account}`

/** An access token for the account, renewed from the refresh token when it is missing or about to expire. */
async function accessToken(ctx: Context, account: string): Promise<string> {
  const src = ctx.sources.get('youtube')!
  const key = cacheKey(ctx, account)
  const hit = cache.get(key)
  if (hit && hit.until - RENEW_BEFORE_MS > Date.now()) return hit.token
  const refresh = (await ctx.credentials.load('youtube', account))?.token
  if (!refresh) throw new UpstreamError('needs_auth', `no YouTube refresh token is stored for ${account}`)
  const { clientId, clientSecret } = src.settings as { clientId?: string; clientSecret?: string }
  if (!clientId || !clientSecret)
    throw new UpstreamError('needs_auth', 'YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET are not configured (the OAuth client the refresh token belongs to)')
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh, client_id: clientId, client_secret: clientSecret })
  const { data } = await ctx.upstream.json(`${src.baseUrls.oauth}/token`, TokenPayload, {
    ...opts,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  cache.set(key, { token: data.access_token, until: Date.now() + data.expires_in * 1000 })
  return data.access_token
}

/**
 * A GET with the account's access token. A token the API no longer accepts (revoked, or the server's
 * clock ahead of ours) is renewed once and the request tried again; a second refusal is needs_auth.
 */
async function getJson<S extends z.ZodType>(ctx: Context, account: string, url: string, schema: S) {
  const get = async () =>
    ctx.upstream.json(url, schema, { ...opts, headers: { authorization: `Bearer ${await accessToken(ctx, account)}`, accept: 'application/json' } })
  try {
    return await get()
  } catch (err) {
    if (!(err instanceof UpstreamError) || err.kind !== 'needs_auth' || !cache.has(cacheKey(ctx, account))) throw err
    cache.delete(cacheKey(ctx, account))
    return get()
  }
}

async function extractChannel(ctx: Context, account: Account): Promise<number> {
  const src = ctx.sources.get('youtube')!
  const channel = account.id ?? 'MINE'
  const w = fetchWindow(ctx, 30)
  const report = `${src.baseUrls.main}/v2/reports?ids=channel==${encodeURIComponent(channel)}&startDate=${w.from}&endDate=${w.to}&metrics=${METRICS}&dimensions=day&sort=day`
  const { raw } = await getJson(ctx, account.name, report, ReportPayload)
  await ctx.lake.land('youtube', 'report', `report--${encodeURIComponent(account.name)}--${w.from}--${w.to}.json`, raw, ctx.now)
  let files = 1
  const which = channel === 'MINE' ? 'mine=true' : `id=${encodeURIComponent(channel)}`
  let page: string | undefined
  do {
    const url = `${src.baseUrls.data}/youtube/v3/channels?part=snippet,statistics&${which}&maxResults=50${page ? `&pageToken=${encodeURIComponent(page)}` : ''}`
    const { raw: list, data } = await getJson(ctx, account.name, url, ChannelsPayload)
    await ctx.lake.land('youtube', 'channels', `channels--${encodeURIComponent(account.name)}--${page ?? 'first'}.json`, list, ctx.now)
    files++
    page = data.nextPageToken
  } while (page)
  return files
}

export default defineExtractor({
  source: 'youtube',
  description: 'YouTube Analytics daily channel metrics and Data API channel totals, with the stored OAuth refresh token',
  async run(ctx) {
    const quotaUntil = await getState(ctx.wh.db, 'youtube', 'quota_until')
    if (quotaUntil && Date.parse(quotaUntil) > ctx.now.getTime()) {
      return { status: 'skipped', message: `YouTube's daily quota is spent; it resets at ${quotaUntil} (midnight Pacific)` }
    }
    let filesOut = 0
    const notes: string[] = []
    for (const account of ctx.sources.get('youtube')!.accounts) {
      try {
        const n = await extractChannel(ctx, account)
        filesOut += n
        notes.push(`${account.name}: ${n} files`)
      } catch (err) {
        if (err instanceof QuotaExhausted) {
          const until = new Date(ctx.now.getTime() + (err.retryAfterMs ?? 0)).toISOString()
          await setState(ctx.wh.db, 'youtube', 'quota_until', until)
          return {
            status: 'failed',
            severity: 'medium',
            filesOut,
            message: `${err.message}: not retried until the quota resets at ${until} (midnight Pacific); ${filesOut} files kept`,
          }
        }
        return upstreamFailure('youtube', err, { account: account.name, filesOut, what: `YouTube ${account.name}` })
      }
    }
    return { status: 'ok', filesOut, message: notes.join('; ') }
  },
})
