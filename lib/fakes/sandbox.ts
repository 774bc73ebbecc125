/**
 * @module The built-in sandbox: every declared source that has a fake gets it served on loopback, its
 * upstream variables pointed at it, and a session stored as if a person had logged in. `npm run demo`
 * and the bench's daily run use it.
 */
import { FUNCTIONS_DIR } from '../registry.ts'
import { loadDeclarations, type DemoFake } from '../source.ts'
import { serveFake } from './serve.ts'

export interface Sandbox {
  /** Variables that point every source at its fake (merge them into the config's environment). */
  env: Record<string, string>
  fakes: { source: string; url: string; note?: string }[]
  /** Stores each fake's login in the sessions folder. */
  logIn(sessionsDir: string): Promise<void>
  close(): Promise<void>
}

export async function startSandbox(today: string, functionsDir = FUNCTIONS_DIR): Promise<Sandbox> {
  const env: Record<string, string> = {}
  const started: { source: string; fake: ReturnType<DemoFake['create']>; server: Awaited<ReturnType<typeof serveFake>> }[] = []
  for (const decl of await loadDeclarations(functionsDir)) {
    if (!decl.fake) continue
    const fake = (await decl.fake()).demo.create(today)
    const server = await serveFake(fake.app)
    for (const u of Object.values(decl.upstreams ?? {})) env[u.env] = server.url
    Object.assign(env, fake.env?.(server.url))
    started.push({ source: decl.name, fake, server })
  }
  return {
    env,
    fakes: started.map((s) => ({ source: s.source, url: s.server.url, ...(s.fake.note ? { note: s.fake.note(s.server.url) } : {}) })),
    async logIn(sessionsDir) {
      for (const s of started) await s.fake.logIn(sessionsDir, s.server.url)
    },
    async close() {
      for (const s of started) await s.server.close()
    },
  }
}
