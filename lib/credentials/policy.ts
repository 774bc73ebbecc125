/**
 * @module One table of session policies. The original system had six contradictory tables
 * (seed_ops.md §3.2); these are the reconciled values. One expiry rule applies to every source:
 * the earliest of the critical cookie's / JWT's own expiry and captured time + max age.
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
  accounts: readonly string[]
  /** Path of the sign-in page under the source's base URL, opened by `npm run auth`. */
  loginPath: string
  /** The sign-in page when it lives on another host than the source's base URL (config.baseUrls). */
  loginUrl?: (baseUrls: Record<string, string>) => string
  /** URL paths that prove a finished login. */
  loggedInPaths: readonly string[]
}

export const SESSION_POLICIES: Record<string, SessionPolicy> = {
  // DistroKid: the documents say 12 to 90 days; its session cookie outlives a month only rarely in
  // practice, and the people asked for a reminder every 10–12 days, so 30 days with a 10-day window.
  distrokid: {
    maxAgeDays: 30,
    refreshWindowDays: 10,
    criticalCookies: ['dk_session'],
    accounts: ['default'],
    loginPath: '/signin',
    loggedInPaths: ['/dashboard', '/mymusic', '/stats'],
  },
  // TooLost: the JWT lives 7 days; runs renew it from the portal's login cookie (functions/toolost/
  // session.ts). ASSUMPTION: that cookie is Laravel's `toolost_session` and lasts a month; a stored
  // login without it is bounded by the JWT's own exp (7 days), as before.
  toolost: {
    maxAgeDays: 30,
    refreshWindowDays: 5,
    criticalCookies: ['toolost_session'],
    jwt: true,
    accounts: ['default'],
    loginPath: '/login',
    loggedInPaths: ['/user-portal'],
  },
  // Spotify for Artists: 30 days everywhere but DEPLOYMENT.md; refresh weekly.
  spotify: {
    maxAgeDays: 30,
    refreshWindowDays: 7,
    criticalCookies: ['sp_dc'],
    accounts: ['ZONE A0', 'PIG1987'],
    loginPath: '/login',
    // The real sign-in page (accounts.spotify.com), coming back to the S4A app when done.
    loginUrl: (b) => `${b.spotifyAccounts}/login?continue=${encodeURIComponent(`${b.spotifyApp}/home`)}`,
    loggedInPaths: ['/c/', '/home'],
  },
  // Policies for sources not built yet, reconciled now so that every source shares one table.
  // TikTok: 30 days everywhere but run_with_auth_check (7); people refresh every 5–6 days, hence 7.
  tiktok: {
    maxAgeDays: 30,
    refreshWindowDays: 7,
    criticalCookies: ['sessionid', 'sid_guard'],
    accounts: ['zone.a0', 'pig1987'],
    loginPath: '/login',
    loggedInPaths: ['/tiktokstudio', '/creator-center'],
  },
  // Linktree: 30 days in every table but DEPLOYMENT.md (14); refresh every 14.
  linktree: {
    maxAgeDays: 30,
    refreshWindowDays: 14,
    accounts: ['default'],
    loginPath: '/login',
    loggedInPaths: ['/admin'],
  },
  // Meta Ads: a long-lived API token (60 days per setup_environment; 90 in one YAML), refresh in the last 30.
  metaads: {
    maxAgeDays: 60,
    refreshWindowDays: 30,
    accounts: ['default'],
    loginPath: '/',
    loggedInPaths: ['/adsmanager', '/business'],
  },
}

export function policyFor(source: string): SessionPolicy | undefined {
  return SESSION_POLICIES[source]
}
