/**
 * @module How a Spotify for Artists run gets an access token without a person. The S4A bearer lives
 * about an hour; the sp_dc login cookie a person's `npm run auth` leaves behind lives far longer. Each
 * run opens the S4A web app headless with the stored browser session and takes the token the app
 * itself sends to generic.wg.spotify.com (external_apis.md §1b: "capture the Authorization header").
 * Chosen over the PKCE refresh flow voidm4p uses because that needs S4A's own client id, a code
 * exchange and refresh-token rotation nobody has documented; the app's own way moves with the app.
 */
import { browserRenewal } from '../../lib/credentials/renew-browser.ts'
import { spotifyArtists } from './artists.ts'

/** Well under the hour the token lives, so a long run never holds a dying token. */
const TOKEN_TTL_MS = 50 * 60_000

export const renewSpotifyToken = browserRenewal((ctx, account) => {
  const artist = spotifyArtists(ctx.sources).find((a) => a.account === account)
  const urls = ctx.sources.get('spotify')!.baseUrls
  return {
    appUrl: `${urls.app}/c/artist/${artist?.id ?? ''}/home`,
    apiOrigins: [new URL(urls.main).origin],
    storageKeys: ['accessToken'],
    ttlMs: TOKEN_TTL_MS,
  }
})
