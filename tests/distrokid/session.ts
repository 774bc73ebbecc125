/** Stores a DistroKid session (the fake's `dk_session` cookie) the way `npm run auth` would. */
import { CredentialStore } from '../../lib/credentials/store.ts'

export async function storeDistroKidSession(sessionsDir: string, fakeUrl: string, id: string, capturedAt = new Date()) {
  const { hostname } = new URL(fakeUrl)
  const expires = Math.floor(capturedAt.getTime() / 1000) + 90 * 86_400
  await new CredentialStore(sessionsDir).save(
    'distrokid',
    'default',
    {
      storageState: {
        cookies: [{ name: 'dk_session', value: id, domain: hostname, path: '/', expires, httpOnly: true, secure: false, sameSite: 'Lax' }],
        origins: [],
      },
    },
    capturedAt,
  )
}
