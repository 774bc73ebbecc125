/** @module A Cookie header from a stored Playwright storageState, for plain-HTTP calls with a browser session. */
import type { StorageState } from '../credentials/store.ts'

export function cookieHeader(state: StorageState | undefined, url: string, now = Date.now()): string {
  if (!state) return ''
  const { hostname, pathname } = new URL(url)
  return state.cookies
    .filter((c) => {
      const domain = c.domain.replace(/^\./, '')
      const domainOk = hostname === domain || hostname.endsWith(`.${domain}`)
      const pathOk = pathname.startsWith(c.path || '/')
      const alive = c.expires <= 0 || c.expires * 1000 > now
      return domainOk && pathOk && alive
    })
    .map((c) => `${c.name}=${c.value}`)
    .join('; ')
}
