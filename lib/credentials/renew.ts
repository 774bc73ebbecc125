/**
 * @module Short access tokens renewed from the long session a person created once (`npm run auth`).
 * Many upstreams hand the web app a token that lives an hour (Spotify for Artists) or a week (TooLost's
 * JWT) while the login cookie behind it lives for weeks. A source declares how to get a fresh token from
 * its stored session (`RenewToken`); `withAccessToken` keeps the token in the session file, renews it
 * when its own expiry has passed or when the upstream answers 401 to it, and marks the session dead
 * when renewal meets a sign-in page, so status, health and notifications say "log in again".
 */
import type { Context } from '../context.ts'
import { UpstreamError } from '../upstream/client.ts'
import { jwtExpiry, type StorageState, type StoredSession } from './store.ts'

export interface RenewedToken {
  token: string
  expiresAt: Date
  /** The session's state after renewal: sites refresh cookies as the app runs. */
  storageState?: StorageState
}

/** Obtains a fresh access token from the stored session; throws SessionGone when it no longer logs in. */
export type RenewToken = (ctx: Context, account: string, session: StoredSession) => Promise<RenewedToken>

/** The stored session no longer logs in (a sign-in page answered): only a person can fix it. */
export class SessionGone extends Error {}

/** Renew a little early so a token never dies in the middle of a run. */
const MARGIN_MS = 5 * 60_000

// The login command is added where the failure is reported (lib/upstream/outcome.ts).
const needsAuth = (why: string) => new UpstreamError('needs_auth', why)

async function renew(ctx: Context, source: string, account: string, session: StoredSession, hook: RenewToken): Promise<string> {
  const now = ctx.credentials.now()
  let fresh: RenewedToken
  try {
    fresh = await hook(ctx, account, session)
  } catch (err) {
    if (!(err instanceof SessionGone)) throw err
    await ctx.credentials.update(source, account, { deadAt: now.toISOString(), deadReason: err.message })
    ctx.log.warn({ source, account }, `session renewal met a sign-in page: ${err.message}`)
    throw needsAuth(`${source} session ended (${err.message})`)
  }
  await ctx.credentials.update(source, account, {
    access: { token: fresh.token, expiresAt: fresh.expiresAt.toISOString(), renewedAt: now.toISOString() },
    ...(fresh.storageState ? { storageState: fresh.storageState } : {}),
  })
  ctx.log.info({ source, account, expiresAt: fresh.expiresAt.toISOString() }, 'access token renewed from the stored session')
  return fresh.token
}

/**
 * Runs `fn` with a usable access token. A token past its own expiry is renewed first; a token the
 * upstream rejects (needs_auth) is renewed once and `fn` tried again. Throws UpstreamError('needs_auth')
 * with the login command when the session itself is missing, expired or gone.
 */
export async function withAccessToken<T>(
  ctx: Context,
  source: string,
  account: string,
  hook: RenewToken,
  fn: (token: string) => Promise<T>,
  opts: { initial?: (s: StoredSession) => string | null | undefined } = {},
): Promise<T> {
  const status = await ctx.credentials.status(source, account)
  if (status.status === 'missing' || status.status === 'expired') {
    throw needsAuth(`session ${status.status}${status.reason ? ` (${status.reason})` : ''}`)
  }
  const session = (await ctx.credentials.load(source, account))!
  const now = ctx.credentials.now().getTime()
  const cached = session.access
    ? Date.parse(session.access.expiresAt) - MARGIN_MS > now
      ? session.access.token
      : null
    : firstToken(session, now, opts.initial)
  const token = cached ?? (await renew(ctx, source, account, session, hook))
  try {
    return await fn(token)
  } catch (err) {
    // A cached token the upstream refuses (its clock disagrees, or the token was revoked): renew once.
    if (!cached || !(err instanceof UpstreamError) || err.kind !== 'needs_auth') throw err
    const again = (await ctx.credentials.load(source, account))!
    return fn(await renew(ctx, source, account, again, hook))
  }
}

/** The token captured with the login itself, tried before any renewal unless its JWT says it is dead. */
function firstToken(s: StoredSession, now: number, initial?: (s: StoredSession) => string | null | undefined): string | null {
  const token = initial?.(s)
  if (!token) return null
  const exp = jwtExpiry(token)
  return exp && exp.getTime() - MARGIN_MS <= now ? null : token
}
