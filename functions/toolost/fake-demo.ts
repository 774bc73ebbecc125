/**
 * @module The demo's TooLost: this year's daily Spotify and Apple streams (one Apple day missing), and
 * a login that is about to end (3 days left), so the demo shows the semi-manual flow honestly: the page,
 * /health and a notification say so, and `npm run auth -- toolost` against this fake (with
 * TOOLOST_DEMO_LOGIN) gives a fresh month.
 */
import { CredentialStore } from '../../lib/credentials/store.ts'
import type { DemoFake } from '../../lib/source.ts'
import { dailySeries } from '../distrokid/fake-data.ts'
import { createFakeTooLost } from './fake.ts'

/** The demo portal's sign-in (obviously fake). */
export const TOOLOST_DEMO_LOGIN = { email: 'demo@bedrot.test', password: 'fake-demo-password' }
const DAY = 86_400_000

export const demo: DemoFake = {
  create(today) {
    const jan1 = `${today.slice(0, 4)}-01-01`
    const apple = dailySeries(jan1, today, 22, 40).filter((_, i) => i !== 20)
    const fake = createFakeTooLost({
      spotify: dailySeries(jan1, today, 21, 900),
      apple,
      tracks: [{ isrc: 'QZVEM2588623', track: 'THE SOURCE', release: 'THE SOURCE', streams: apple.reduce((s, p) => s + p.streams, 0) }],
      countries: [{ country: 'US', streams: apple.reduce((s, p) => s + p.streams, 0) }],
      account: TOOLOST_DEMO_LOGIN,
    })
    return {
      app: fake.app,
      // Logged in 27 days ago: the portal session has 3 days left (inside the 5-day refresh window).
      async logIn(sessionsDir: string, url: string) {
        const session = fake.createSession(3 * DAY)
        const cookie = {
          name: 'toolost_session',
          value: session.cookie,
          domain: new URL(url).hostname,
          path: '/',
          expires: Math.floor(session.expiresAt.getTime() / 1000),
          httpOnly: true,
          secure: false,
          sameSite: 'Lax' as const,
        }
        await new CredentialStore(sessionsDir).save(
          'toolost',
          'default',
          { token: fake.issueJwt(), storageState: { cookies: [cookie], origins: [] } },
          new Date(Date.now() - 27 * DAY),
        )
      },
      note: (url: string) =>
        `TooLost's demo login ends in 3 days; renew it as a person would: BEDROT_SESSIONS_DIR=.demo/sessions TOOLOST_BASE_URL=${url} npm run auth -- toolost  (sign in as ${TOOLOST_DEMO_LOGIN.email} / ${TOOLOST_DEMO_LOGIN.password})`,
    }
  },
}
