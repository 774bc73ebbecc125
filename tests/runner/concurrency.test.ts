/**
 * Single flight across processes: parallel `POST /run/<source>` on two servers over one lake → exactly
 * one runs (the rest 409); the CLI and the server on the same source; `POST /run` while a source runs.
 * A gate holds a run open where the test needs it held: nothing here depends on timing.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../lib/app.ts'
import { loadConfig } from '../../lib/config.ts'
import { openServices, type Services } from '../../lib/context.ts'
import type { StepDefinition } from '../../lib/define.ts'
import { Runner } from '../../lib/pipeline.ts'
import { loadRegistry, type Registry } from '../../lib/registry.ts'
import { resolveApiToken } from '../../lib/http/token.ts'
import { envFor, ROOT, runCli, tempDir, withToken } from '../helpers.ts'
import { landLedger } from './lake-fixture.ts'

let dir: string
let env: Record<string, string>
const opened: Services[] = []
const children: ReturnType<typeof spawn>[] = []

async function server(registry?: Registry) {
  const services = await openServices(loadConfig(env))
  opened.push(services)
  const runner = new Runner(services, registry ?? (await loadRegistry()))
  // Every server over this lake shares the stored API token, as two starts on one machine do.
  const token = resolveApiToken(services.config)
  return { runner, app: withToken(createApp(runner, { today: () => '2025-06-01', apiToken: token }), token), services }
}

/** The real registry, with DistroKid's load waiting on a gate: a run of it stays open until released. */
async function gatedRegistry() {
  const registry = await loadRegistry()
  let open!: () => void
  const gate = new Promise<void>((r) => (open = r))
  let entered!: () => void
  const inside = new Promise<void>((r) => (entered = r))
  const dk = registry.sources.get('distrokid')!
  const load = dk.steps.load!
  const gated: StepDefinition = { ...load, run: async (ctx) => (entered(), await gate, load.run(ctx)) }
  registry.sources.set('distrokid', { ...dk, steps: { ...dk.steps, load: gated } })
  return { registry, release: () => open(), inside }
}

beforeAll(async () => {
  dir = await tempDir('bedrot-conc-')
  env = envFor(dir, { LOG_LEVEL: 'silent' })
  await landLedger(loadConfig(env).dataDir, 5000)
})

afterAll(async () => {
  // A child left by a failed assertion must not hold the lake for the next suite.
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  for (const s of opened) await s.close()
})

describe('concurrency', () => {
  it('parallel POST /run/distrokid on two servers over one lake: exactly one runs, the others get 409', async () => {
    const g = await gatedRegistry()
    const a = await server(g.registry)
    const b = await server(g.registry)
    const post = (app: typeof a.app) => app.request('/run/distrokid?skipExtract=1', { method: 'POST' })
    const pending = [a, b, a, b, a, b, a, b].map((s) => post(s.app))
    await g.inside
    g.release()
    const responses = await Promise.all(pending)
    const codes = responses.map((r) => r.status).sort()
    expect(codes).toEqual([200, 409, 409, 409, 409, 409, 409, 409])
    const ok = await responses.find((r) => r.status === 200)!.json()
    expect(ok.status).toBe('ok')
    const refused = await responses.find((r) => r.status === 409)!.json()
    expect(refused.error.code).toBe('RunInProgress')
    const runs = await a.services.wh.db.selectFrom('runs').select(['status']).where('source', '=', 'distrokid').execute()
    expect(runs).toEqual([{ status: 'ok' }])
    expect(
      await a.services.wh.db
        .selectFrom('revenue_lines')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
    ).toEqual({ n: 5000 })
  }, 300_000)

  it('the server holds a source: the CLI on it is refused in one line and exit 1; released, the CLI runs', async () => {
    const g = await gatedRegistry()
    const s = await server(g.registry)
    const serverRun = s.app.request('/run/distrokid?skipExtract=1', { method: 'POST' })
    await g.inside
    const cli = await runCli('pipeline', ['distrokid', '--skip-extract'], env)
    expect(cli.code).toBe(1)
    expect(cli.stderr).toMatch(new RegExp(`already going in process ${process.pid}`))
    g.release()
    expect((await serverRun).status).toBe(200)
    const after = await runCli('pipeline', ['distrokid', '--skip-extract'], env)
    expect(after.code, after.stderr).toBe(0)
  }, 300_000)

  it('the CLI holds a source: POST /run/distrokid is refused (409, naming its pid) until it ends', async () => {
    const s = await server()
    await landLedger(s.services.config.dataDir, 40_000, 77, new Date('2025-07-01T00:00:00Z'))
    // node --import tsx: one process, so the pid in the claim is the child's own.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/pipeline.ts'), 'distrokid', '--skip-extract'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    })
    const exited = new Promise<number>((r) => child.once('exit', (code) => r(code ?? -1)))
    children.push(child)
    let sawHeld = false
    let done = false
    void exited.then(() => (done = true))
    // Poll the claim (no sleep-based assertion): once the child holds it, the server must refuse.
    while (!done && !sawHeld) {
      const held = await s.runner.claims.held('distrokid')
      if (held?.pid === child.pid) {
        const res = await s.app.request('/run/distrokid?skipExtract=1', { method: 'POST' })
        if ((await s.runner.claims.held('distrokid'))?.pid === child.pid) {
          expect(res.status).toBe(409)
          expect((await res.json()).error.message).toContain(`process ${child.pid}`)
          sawHeld = true
        }
      } else await new Promise((r) => setTimeout(r, 20))
    }
    expect(await exited).toBe(0)
    expect(sawHeld).toBe(true)
    const res = await s.app.request('/run/distrokid?skipExtract=1', { method: 'POST' })
    expect(res.status).toBe(200)
  }, 300_000)

  it('POST /run while a source runs elsewhere: that source is reported busy, every other one runs', async () => {
    const g = await gatedRegistry()
    const holder = await server(g.registry)
    const other = await server()
    const held = holder.app.request('/run/distrokid?skipExtract=1', { method: 'POST' })
    await g.inside
    const res = await other.app.request('/run?skipExtract=1', { method: 'POST' })
    expect(res.status).toBe(200)
    const { runs } = (await res.json()) as { runs: { source: string; outcome?: string; runId: string }[] }
    const sources = [...other.runner.registry.sources.keys()]
    expect(runs.map((r) => r.source)).toEqual(sources)
    expect(runs.find((r) => r.source === 'distrokid')!.outcome).toBe('busy')
    for (const r of runs.filter((r) => r.source !== 'distrokid')) {
      expect(r.outcome).toBeUndefined()
      expect(r.runId).not.toBe('')
    }
    g.release()
    expect((await held).status).toBe(200)
  }, 300_000)
})
