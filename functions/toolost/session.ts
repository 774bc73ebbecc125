/**
 * @module How a TooLost run gets a live JWT without a person. The portal's JWT lives 7 days; the
 * login session behind it (assumed: Laravel's `toolost_session` cookie, a month) lets the SPA pick up a
 * fresh one whenever the portal opens. A run whose JWT is past its exp, or refused, opens the portal
 * headless with the stored browser session and takes the JWT the SPA keeps in localStorage. A stored
 * login without that cookie cannot renew and ends with its JWT, as it always did.
 */
import { browserRenewal } from '../../lib/credentials/renew-browser.ts'
import { JWT_KEYS } from '../../lib/credentials/login.ts'

export const renewTooLostJwt = browserRenewal((ctx) => {
  const base = ctx.sources.get('toolost')!.baseUrls.main
  return {
    appUrl: `${base}/user-portal/analytics/platform`,
    apiOrigins: [new URL(base).origin],
    storageKeys: JWT_KEYS,
    // The JWT states its own exp; this is only for a token that does not.
    ttlMs: 86_400_000,
  }
})
