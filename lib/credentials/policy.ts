/**
 * @module What a session policy says. Each source declares its own (functions/<source>/source.ts); the
 * original system had six contradictory tables (seed_ops.md §3.2) and the declarations hold the
 * reconciled values. One expiry rule applies to every source: the earliest of the critical cookie's /
 * JWT's own expiry and captured time + max age.
 */

export interface SessionPolicy {
  /** Days a captured session is trusted at most, whatever its cookies claim. */
  maxAgeDays: number
  /** Within this many days of expiry the session shows as `expiring` (a warning, still usable). */
  refreshWindowDays: number
  /** Cookies whose own expiry bounds the session (the login cookie); others (tracking) are ignored. */
  criticalCookies?: readonly string[]
  /** The session is a JWT whose `exp` claim bounds it. */
  jwt?: boolean
  /** How the session is used: a browser storageState, or a token (API key, JWT). */
  kind: 'browser' | 'token'
  /**
   * Path of the sign-in page, opened by `npm run auth`… Absent for API sources: their credential (an API
   * key, a long-lived or refresh token) is pasted into `npm run auth -- <source>` instead.
   */
  loginPath?: string
  /** …under this upstream's base URL (default `main`): a sign-in host may differ from the data host. */
  loginUpstream?: string
  /** URL paths that prove a finished login. */
  loggedInPaths?: readonly string[]
}
