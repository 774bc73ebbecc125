/** @module The demo's TikTok Studio: both creator accounts, a year of daily numbers up to today, logged in. */
import { CredentialStore } from '../../lib/credentials/store.ts'
import type { DemoFake } from '../../lib/source.ts'
import { createFakeTikTok } from './fake.ts'

export const demo: DemoFake = {
  create() {
    const fake = createFakeTikTok({
      accounts: [
        { name: 'zone.a0', scale: 9000, followers: 15000 },
        { name: 'pig1987', scale: 2500, followers: 4200 },
      ],
    })
    return {
      app: fake.app,
      async logIn(sessionsDir: string, url: string) {
        const store = new CredentialStore(sessionsDir)
        for (const account of ['zone.a0', 'pig1987'])
          await store.save('tiktok', account, { storageState: fake.session(account, url, new Date(Date.now() + 30 * 86_400_000)) })
      },
    }
  },
}
