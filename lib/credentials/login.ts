/**
 * @module The semi-manual login: a visible Chromium opens the source's sign-in page, the person logs in
 * (2FA included — nothing here types a code), success is detected from the URL, and the session is
 * saved. It waits for the person up to a time limit, then gives up; it never runs unattended.
 */
import type { Services } from '../context.ts'
import { authCommand, type SessionStatus, type StorageState } from './store.ts'

/** localStorage keys a portal SPA may keep its JWT under (the real key is unknown; seed_ops.md §3.4). */
export const JWT_KEYS = ['token', 'jwt', 'authToken', 'access_token']

/** The JWT a logged-in SPA left in localStorage, preferring the given origin's entry. */
export function jwtFromStorage(state: StorageState | undefined, origin?: string): string | undefined {
  const origins = [...(state?.origins ?? [])].sort((a, b) => Number(b.origin === origin) - Number(a.origin === origin))
  return origins.flatMap((o) => o.localStorage).find((kv) => JWT_KEYS.includes(kv.name) && kv.value.split('.').length === 3)?.value
}

export interface LoginOptions {
  headless?: boolean
  timeoutMs?: number
  /** Called with the page once it is open: tests play the person here. */
  onPage?: (page: import('playwright').Page) => Promise<void>
}

/** A visible browser was asked for where there is no display: one line saying how to get one. */
export class NoDisplayError extends Error {
  constructor(command: string) {
    super(`no display for the login browser: run it under a virtual display, e.g. \`xvfb-run -a ${command}\`, or from a desktop session`)
  }
}

async function launchVisible(services: Services, headless: boolean, command: string) {
  if (!headless && !services.config.hasDisplay) throw new NoDisplayError(command)
  try {
    return await services.browser.launch(headless)
  } catch (err) {
    if (/DISPLAY|X server|ozone/i.test((err as Error).message)) throw new NoDisplayError(command)
    throw err
  }
}

export async function loginFlow(services: Services, source: string, account = 'default', opts: LoginOptions = {}): Promise<SessionStatus> {
  const src = services.sources.get(source)
  const policy = src?.session
  if (!src || !policy?.loginPath) throw new Error(`no browser login for '${source}'`)
  const loggedIn = policy.loggedInPaths ?? []
  const base = src.baseUrls[policy.loginUpstream ?? 'main']
  const browser = await launchVisible(services, opts.headless ?? false, authCommand(source, account))
  try {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${base}${policy.loginPath}`)
    const done = page.waitForURL((u) => loggedIn.some((p) => u.pathname.startsWith(p)), { timeout: opts.timeoutMs ?? 300_000 })
    await Promise.all([done, opts.onPage?.(page)])
    const storageState = (await context.storageState()) as StorageState
    let token: string | undefined
    if (policy.jwt) {
      token = jwtFromStorage(storageState)
      if (!token) throw new Error(`logged in to ${source}, but no session token was found in the page's storage`)
    }
    await services.credentials.save(source, account, { storageState, token })
    return services.credentials.status(source, account)
  } finally {
    await browser.close()
  }
}
