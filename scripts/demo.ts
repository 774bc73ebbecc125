/**
 * npm run demo [-- --once] [--port N] [--screenshots DIR]
 * The whole system on the built-in sandbox: every source's local fake is started, a session is stored
 * as if a person had logged in, every source runs extract → clean → load, and the KPI page is served.
 * Data lives in .demo/ (wiped at each start). `--once` stops after the run and prints the KPIs;
 * `--screenshots DIR` writes the page's desktop and phone screenshots there and stops.
 */
import { serve } from '@hono/node-server'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { createApp } from '../lib/app.ts'
import { main, parseCli } from '../lib/cli.ts'
import { loadConfig } from '../lib/config.ts'
import { openServices } from '../lib/context.ts'
import { Runner } from '../lib/pipeline.ts'
import { loadRegistry } from '../lib/registry.ts'
import { attachNotifier } from '../lib/notify/notify.ts'
import { startSandbox } from '../lib/fakes/sandbox.ts'
import { summarize } from '../lib/kpi/summary.ts'
import { FUNCTIONS_DIR } from '../lib/registry.ts'
import { loadDeclarations, resolveSources } from '../lib/source.ts'
import { takeScreenshots } from './demo-screenshots.ts'

const Args = z.object({
  positionals: z.array(z.string()).max(0),
  once: z.boolean().default(false),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  screenshots: z.string().min(1).optional(),
})

main(async () => {
  const args = parseCli(
    'npm run demo [-- --once] [--port N] [--screenshots DIR]',
    { once: { type: 'boolean' }, port: { type: 'string' }, screenshots: { type: 'string' } },
    Args,
  )
  const dir = path.resolve('.demo')
  await rm(dir, { recursive: true, force: true })
  const today = new Date().toISOString().slice(0, 10)
  const env: Record<string, string> = {
    BEDROT_DATA_DIR: path.join(dir, 'data_lake'),
    BEDROT_SESSIONS_DIR: path.join(dir, 'sessions'),
    LOG_LEVEL: 'info',
    ...(args.port === undefined ? {} : { PORT: String(args.port) }),
  }
  const sandbox = await startSandbox(today)
  Object.assign(env, sandbox.env)
  for (const f of sandbox.fakes) console.log(`fake ${f.source.padEnd(10)} ${f.url}`)
  const config = loadConfig({ ...process.env, ...env })
  await sandbox.logIn(config.sessionsDir)
  for (const s of resolveSources(config.env, await loadDeclarations(FUNCTIONS_DIR)).values()) {
    if (!sandbox.fakes.some((f) => f.source === s.name) || !s.session) continue
    console.log(
      `session ${s.name.padEnd(10)} stored for ${s.accounts.map((a) => a.name).join(', ')}, as if a person had logged in with \`npm run auth -- ${s.name}\``,
    )
    const note = sandbox.fakes.find((f) => f.source === s.name)?.note
    if (note) console.log(`note    ${note}`)
  }
  const services = await openServices(config)
  const runner = new Runner(services, await loadRegistry())
  attachNotifier(runner)
  for (const r of await runner.runAll({ trigger: 'cli', mode: 'automated' })) {
    const steps = Object.entries(r.steps)
      .map(([k, s]) => `${k} ${s!.status} (${s!.rowsOut} rows)`)
      .join(', ')
    console.log(`run ${r.source.padEnd(10)} ${r.status.padEnd(10)} ${steps}${r.message ? ` — ${r.message}` : ''}`)
  }
  const app = createApp(runner, { warm: true })
  if (args.once) {
    // What the page shows first: each KPI over its default window, said as a label would read it.
    for (const name of runner.registry.kpis.keys()) {
      const k = await (await app.request(`/kpi/${name}`)).json()
      console.log(`kpi ${name.padEnd(28)} ${summarize(k).split('\n')[0]} (${k.freshness})`)
    }
    await services.close()
    await sandbox.close()
    return 0
  }
  let url = ''
  const server = serve({ fetch: app.fetch, port: args.screenshots ? 0 : config.port, hostname: config.host }, (info) => {
    url = `http://${config.host}:${info.port}/`
    if (!args.screenshots) console.log(`\nKPI page: ${url}   (Ctrl-C to stop; data in .demo/)`)
  })
  if (args.screenshots) {
    while (!url) await new Promise((r) => setTimeout(r, 10))
    for (const file of await takeScreenshots(url, path.resolve(args.screenshots), config.chromiumPath)) console.log(`screenshot ${file}`)
  } else {
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve())
      process.once('SIGTERM', () => resolve())
    })
  }
  server.close()
  await services.close()
  await sandbox.close()
  return 0
})
