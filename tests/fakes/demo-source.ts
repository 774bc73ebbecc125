/** @module What the demo needs of each source's fake: a Hono app, the env var pointing at it, a login. */
import type { Hono } from 'hono'

export interface DemoSource {
  source: string
  /** Environment variable holding the source's base URL (lib/config.ts). */
  envVar: string
  /** Further URL variables served by the same fake (e.g. Spotify's app and sign-in hosts). */
  alsoEnv?: string[]
  create(today: string): {
    app: Hono
    /** Stores a session as if a person had logged in through `npm run auth`. */
    logIn(sessionsDir: string, url: string): Promise<void>
    /** A line the demo prints about this source (e.g. how to renew its expiring login). */
    note?(url: string): string
  }
}
