/** @module The demo's Linktree: the label's link page with a year of daily views and clicks, logged in. */
import { CredentialStore } from '../../lib/credentials/store.ts'
import type { DemoFake } from '../../lib/source.ts'
import { createFakeLinktree } from './fake.ts'

export const demo: DemoFake = {
  create() {
    const fake = createFakeLinktree({
      scale: 14,
      links: [
        { id: 453835498, title: 'ZONE A0 - THE SOURCE EP', active: true, weight: 9 },
        { id: 445372129, title: 'PIG1987', active: true, weight: 7 },
        { id: 445371874, title: 'ZONE A0', active: true, weight: 6 },
        { id: 472282266, title: 'PIG1987 - TRANSFORMER ARCHITECTURE', active: false, weight: 6 },
        { id: 477271008, title: 'THE STATE OF THE WORLD', active: true, weight: 5 },
      ],
    })
    return {
      app: fake.app,
      async logIn(sessionsDir: string) {
        await new CredentialStore(sessionsDir).save('linktree', 'default', { token: fake.issueToken(new Date(Date.now() + 30 * 86_400_000)) })
      },
    }
  },
}
