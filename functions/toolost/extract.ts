/**
 * TooLost extractor. The portal's SPA reads two JSON endpoints with the JWT it keeps in localStorage;
 * the original captured those XHRs by driving a browser. We call the same endpoints over plain HTTP
 * with the stored session instead (DESIGN §6: use the site's own JSON endpoint where the session works).
 *
 * ASSUMPTION (external_apis.md §5, unverified): the SPA sends the JWT as `Authorization: Bearer <jwt>`;
 * the session cookies go along too, in case the portal wants them.
 *
 * The JWT is renewed from the stored login session when its `exp` has passed or the API refuses it
 * (session.ts); a JWT past its `exp` with no session behind it is needs_auth without a request. Both payloads are fetched and checked
 * before either is landed, so any failure (login wall, throttling that outlasts the retries, malformed
 * JSON) lands nothing and the next run re-reads the whole year anyway.
 */
import { cookieHeader } from '../../lib/browser/cookies.ts'
import { jwtFromStorage } from '../../lib/credentials/login.ts'
import { jwtExpiry, type StoredSession } from '../../lib/credentials/store.ts'
import { withAccessToken } from '../../lib/credentials/renew.ts'
import { renewTooLostJwt } from './session.ts'
import { defineExtractor } from '../../lib/define.ts'
import { UpstreamError } from '../../lib/upstream/client.ts'
import { upstreamFailure } from '../../lib/upstream/outcome.ts'
import { ENDPOINTS, PAYLOADS, type Platform } from './payloads.ts'

const PLATFORMS: { platform: Platform; label: string; daily: (d: Record<string, unknown>) => unknown[] }[] = [
  { platform: 'spotify', label: 'Spotify analytics', daily: (d) => d.streams as unknown[] },
  { platform: 'apple', label: 'Apple Music analytics', daily: (d) => d.totalStreams as unknown[] },
]

// The portal bounces a dead session to /login (the API's own 401 is classified by the client).
const LOGIN = /\/login\b/i

export default defineExtractor({
  source: 'toolost',
  description: 'TooLost portal analytics, Spotify and Apple Music daily streams for this year, with the stored JWT',
  async run(ctx) {
    const base = ctx.sources.get('toolost')!.baseUrls.main
    const session = await ctx.credentials.load('toolost', 'default')
    const loginJwt = (s: StoredSession) => s.token ?? jwtFromStorage(s.storageState, new URL(base).origin)
    const renewable = session?.storageState?.cookies.some((c) => c.name === 'toolost_session') ?? false
    const token = session ? loginJwt(session) : undefined
    if (!token && !renewable) return upstreamFailure('toolost', new UpstreamError('needs_auth', 'no TooLost session token is stored'))
    const exp = token ? jwtExpiry(token) : null
    if (!renewable && exp && exp.getTime() <= ctx.now.getTime()) {
      return upstreamFailure('toolost', new UpstreamError('needs_auth', `the stored TooLost JWT expired at ${exp.toISOString()}`))
    }

    let fetched: { platform: Platform; raw: string; days: number }[] = []
    let what = PLATFORMS[0].label
    try {
      await withAccessToken(
        ctx,
        'toolost',
        'default',
        renewTooLostJwt,
        async (jwt) => {
          fetched = []
          const current = await ctx.credentials.load('toolost', 'default')
          for (const p of PLATFORMS) {
            what = p.label
            const url = base + ENDPOINTS[p.platform]
            const cookie = cookieHeader(current?.storageState, url)
            const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${jwt}` }
            if (cookie) headers.Cookie = cookie
            const { raw, data } = await ctx.upstream.json(url, PAYLOADS[p.platform], { headers, loginUrlPattern: LOGIN, source: 'toolost' })
            fetched.push({ platform: p.platform, raw, days: p.daily(data).length })
          }
        },
        { initial: loginJwt },
      )
    } catch (err) {
      return upstreamFailure('toolost', err, { what })
    }

    for (const f of fetched) await ctx.lake.land('toolost', f.platform, `toolost_${f.platform}.json`, f.raw, ctx.now)
    const note = windowNote(ctx.window.from, ctx.now)
    return {
      status: 'ok',
      filesOut: fetched.length,
      message: fetched.map((f) => `toolost_${f.platform}.json (${f.days} days)`).join(', ') + ' landed' + note,
    }
  },
})

/** TooLost only serves this year: say so when a backfill asked for more, rather than pretend. */
function windowNote(from: string | undefined, now: Date): string {
  const jan1 = `${now.getUTCFullYear()}-01-01`
  return from && from < jan1 ? `; TooLost only serves this year (from ${jan1}), earlier days come from earlier extracts` : ''
}
