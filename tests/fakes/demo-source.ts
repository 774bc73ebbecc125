/** @module What the demo needs of each source's fake: a Hono app, the env var pointing at it, a login. */
import type { Hono } from 'hono'

export interface DemoSource {
  source: string
  /** Environment variable holding the source's base URL (lib/config.ts). */
  envVar: string
  create(today: string): {
    app: Hono
    /** Stores a session as if a person had logged in through `npm run auth`. */
    logIn(sessionsDir: string, url: string): Promise<void>
  }
}
