/** @module The demo's TooLost: this year's daily Spotify and Apple streams (one Apple day missing), logged in. */
import { CredentialStore } from '../../lib/credentials/store.ts'
import type { DemoFake } from '../../lib/source.ts'
import { dailySeries } from '../distrokid/fake-data.ts'
import { createFakeTooLost, fakeJwt } from './fake.ts'

export const demo: DemoFake = {
  create(today) {
    const jan1 = `${today.slice(0, 4)}-01-01`
    const apple = dailySeries(jan1, today, 22, 40).filter((_, i) => i !== 20)
    const fake = createFakeTooLost({
      spotify: dailySeries(jan1, today, 21, 900),
      apple,
      tracks: [{ isrc: 'QZVEM2588623', track: 'THE SOURCE', release: 'THE SOURCE', streams: apple.reduce((s, p) => s + p.streams, 0) }],
      countries: [{ country: 'US', streams: apple.reduce((s, p) => s + p.streams, 0) }],
    })
    return {
      app: fake.app,
      async logIn(sessionsDir: string) {
        await new CredentialStore(sessionsDir).save('toolost', 'default', { token: fakeJwt(new Date(Date.now() + 7 * 86_400_000)) })
      },
    }
  },
}
