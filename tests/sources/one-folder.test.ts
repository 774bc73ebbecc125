/**
 * "A source is one folder": a throwaway source written into a temporary functions/ folder — its
 * declaration, its three steps and its fake, nothing anywhere else — is found by the registry, gets its
 * configuration (base URL, accounts, settings) from the environment, shows in session statuses and
 * health, and runs extract → clean → load against its fake, end to end over HTTP.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../lib/app.ts'
import { loadConfig } from '../../lib/config.ts'
import { openServices, type Services } from '../../lib/context.ts'
import { serveFake } from '../../lib/fakes/serve.ts'
import { Runner } from '../../lib/pipeline.ts'
import { FUNCTIONS_DIR, loadRegistry } from '../../lib/registry.ts'
import { loadDeclarations } from '../../lib/source.ts'
import { envFor, tempDir } from '../helpers.ts'

const lib = (file: string) => JSON.stringify(path.join(FUNCTIONS_DIR, '../lib', file))

const FILES: Record<string, string> = {
  'source.ts': `
    import { z } from 'zod'
    import { defineSource } from ${lib('source.ts')}
    export default defineSource({
      name: 'weather', title: 'Weather',
      accounts: [{ name: 'north' }],
      session: { kind: 'token', maxAgeDays: 30, refreshWindowDays: 5, loginPath: '/login', loggedInPaths: ['/home'] },
      upstreams: { main: { env: 'WEATHER_BASE_URL', default: 'https://weather.invalid' } },
      settings: { apiKey: { env: 'WEATHER_API_KEY', schema: z.string().min(1), secret: true } },
      tables: [{ table: 'social_daily', where: { platform: 'weather' } }],
      freshness: { table: 'social_daily', dateColumn: 'date', where: { platform: 'weather' }, grain: 'day', warnDays: 3, staleDays: 7 },
      fake: () => import('./fake.ts'),
    })`,
  'fake.ts': `
    import { Hono } from 'hono'
    export function createFake() {
      const app = new Hono()
      app.get('/days', (c) => c.req.header('x-api-key') === 'fake-weather-key-123' ? c.json([{ date: '2025-05-30', views: 7 }, { date: '2025-05-31', views: 9 }]) : c.text('no', 401))
      return app
    }
    export const demo = { create: () => ({ app: createFake(), async logIn() {} }) }`,
  'extract.ts': `
    import { defineExtractor } from ${lib('define.ts')}
    export default defineExtractor({ source: 'weather', description: 'days', async run(ctx) {
      const src = ctx.sources.get('weather')
      const raw = await ctx.upstream.text(src.baseUrls.main + '/days', { headers: { 'x-api-key': src.settings.apiKey } })
      await ctx.lake.land('weather', 'days', 'days.json', raw, ctx.now)
      return { status: 'ok', filesOut: 1 }
    } })`,
  'clean.ts': `
    import { readFile } from 'node:fs/promises'
    import { defineCleaner } from ${lib('define.ts')}
    import { promoteLanding } from ${lib('lake/promote.ts')}
    export default defineCleaner({ source: 'weather', description: 'days', async run(ctx) {
      const s = await promoteLanding(ctx, 'weather', async (file, sink) => {
        for (const d of JSON.parse(await readFile(file.path, 'utf8'))) { await sink.raw(d); await sink.staging('days', d) }
      })
      return { status: 'ok', rowsOut: s.rowsOut }
    } })`,
  'load.ts': `
    import { readNdjson } from ${lib('lake/lines.ts')}
    import { defineLoader } from ${lib('define.ts')}
    export default defineLoader({ source: 'weather', description: 'days', async run(ctx) {
      let n = 0
      for (const f of await ctx.lake.list('staging', 'weather', 'days')) for await (const d of readNdjson(f.path)) {
        await ctx.wh.db.insertInto('social_daily').values({ date: d.date, platform: 'weather', account: 'north', views: d.views, extracted_at: '2025-06-01T00:00:00.000Z' })
          .onConflict((oc) => oc.columns(['date', 'platform', 'account']).doUpdateSet({ views: d.views })).execute()
        n++
      }
      return { status: 'ok', rowsOut: n }
    } })`,
}

describe('a source is one folder', () => {
  let services: Services
  let runner: Runner
  let fake: { url: string; close(): Promise<void> }
  let dir: string

  beforeAll(async () => {
    dir = await tempDir('one-folder-')
    const functions = path.join(dir, 'functions')
    await mkdir(path.join(functions, 'weather'), { recursive: true })
    for (const [name, text] of Object.entries(FILES)) await writeFile(path.join(functions, 'weather', name), text)
    const decl = (await loadDeclarations(functions))[0]
    fake = await serveFake((await decl.fake!()).demo.create('2025-06-01').app)
    const config = loadConfig(envFor(dir, { WEATHER_BASE_URL: fake.url, WEATHER_API_KEY: 'fake-weather-key-123' }))
    services = await openServices(config, { functionsDir: functions, minBackoffMs: 5 })
    runner = new Runner(services, await loadRegistry(functions))
    await services.credentials.save('weather', 'north', { token: 'fake-weather-session-1' })
  })
  afterAll(async () => {
    await services?.close()
    await fake?.close()
  })

  it('is found, configured from the environment, and runs end to end', async () => {
    expect([...runner.registry.sources.keys()]).toEqual(['weather'])
    const src = services.sources.get('weather')!
    expect(src.baseUrls.main).toBe(fake.url)
    expect(src.accounts).toEqual([{ name: 'north' }])
    expect((await runner.sessionStatuses()).map((s) => [s.source, s.account, s.status])).toEqual([['weather', 'north', 'valid']])
    const apiToken = 'fake-api-token-one-folder-0001'
    const app = createApp(runner, { today: () => '2025-06-01', apiToken })
    const res = await app.request('/run/weather', { method: 'POST', headers: { Authorization: `Bearer ${apiToken}` } })
    const report = await res.json()
    expect(report.status, JSON.stringify(report)).toBe('ok')
    expect(report.steps.load.rowsOut).toBe(2)
    const health = await (await app.request('/health')).json()
    expect(health.sources.find((s: { source: string }) => s.source === 'weather')).toMatchObject({ newestDate: '2025-05-31', freshness: 'fresh' })
  })

  it('takes its accounts from configuration, and refuses a bad declared variable by name', async () => {
    const functions = path.join(dir, 'functions')
    const more = loadConfig(envFor(dir, { BEDROT_WEATHER_ACCOUNTS: 'north,south', WEATHER_API_KEY: 'fake-weather-key-123' }))
    const s2 = await openServices(more, { functionsDir: functions })
    try {
      expect(s2.sources.get('weather')!.accounts.map((a) => a.name)).toEqual(['north', 'south'])
    } finally {
      await s2.close()
    }
    await expect(openServices(loadConfig(envFor(dir, { WEATHER_BASE_URL: 'nope' })), { functionsDir: functions })).rejects.toThrow(
      /WEATHER_BASE_URL: not a URL[\s\S]*WEATHER_API_KEY/,
    )
  })
})
