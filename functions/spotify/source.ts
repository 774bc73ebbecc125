/**
 * Spotify for Artists: per artist, the audience timeline and per-song stats (S4A's internal API), and an
 * optional Web API artist lookup. One stored session per artist; the artists are accounts with their
 * Spotify ids (`BEDROT_SPOTIFY_ACCOUNTS="ZONE A0=62owJQCD2XzVB2o19CVsFM,PIG1987=1Eu67EqPy2NutiM0lqCarw"`).
 */
import { z } from 'zod'
import { defineSource } from '../../lib/source.ts'

export default defineSource({
  name: 'spotify',
  title: 'Spotify for Artists',
  accounts: [
    { name: 'ZONE A0', id: '62owJQCD2XzVB2o19CVsFM' },
    { name: 'PIG1987', id: '1Eu67EqPy2NutiM0lqCarw' },
  ],
  // 30 days everywhere but DEPLOYMENT.md; refresh weekly. `npm run auth` opens the real sign-in page
  // (accounts.spotify.com), which comes back to the S4A app; runs renew the hour-long bearer from the
  // stored browser session by opening the app headless (session.ts).
  session: {
    kind: 'browser',
    maxAgeDays: 30,
    refreshWindowDays: 7,
    criticalCookies: ['sp_dc'],
    loginUpstream: 'accounts',
    loginPath: `/login?continue=${encodeURIComponent('https://artists.spotify.com/home')}`,
    loggedInPaths: ['/c/', '/home'],
  },
  upstreams: {
    main: { env: 'SPOTIFY_ARTISTS_BASE_URL', default: 'https://generic.wg.spotify.com' },
    app: { env: 'SPOTIFY_ARTISTS_APP_URL', default: 'https://artists.spotify.com' },
    accounts: { env: 'SPOTIFY_ACCOUNTS_URL', default: 'https://accounts.spotify.com' },
    webApi: { env: 'SPOTIFY_API_BASE_URL', default: 'https://api.spotify.com' },
  },
  settings: {
    /** Optional client token for the Web API artist lookup (else the credential store's `spotify-api`). */
    apiToken: { env: 'SPOTIFY_API_TOKEN', schema: z.string().min(1).optional(), secret: true },
  },
  tables: [{ table: 'spotify_audience_daily' }, { table: 'spotify_track_daily' }, { table: 'spotify_song_stats' }, { table: 'spotify_artist_profiles' }],
  freshness: { table: 'spotify_audience_daily', dateColumn: 'date', grain: 'day', warnDays: 3, staleDays: 7 },
  fake: () => import('./fake.ts'),
})
