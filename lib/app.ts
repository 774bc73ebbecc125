/**
 * @module The Hono app: an HTTP adapter over the same functions the CLI and cron call (DESIGN §3).
 * Routes come from the registry built by scanning functions/; nothing is registered by hand.
 */
import { Hono, type Context as HonoContext } from 'hono'
import { z } from 'zod'
import { STEP_KINDS, type StepKind } from './define.ts'
import { AppError } from './errors.ts'
import { health } from './health.ts'
import { importFiles } from './importer.ts'
import { dataVersion, KpiCache } from './kpi/cache.ts'
import type { KpiEnvelope } from './kpi/define.ts'
import { KpiQuery } from './kpi/window.ts'
import type { Runner } from './pipeline.ts'
import { mountWeb } from './web.ts'

const isoDate = z.iso.date()
const RunQuery = z.object({
  mode: z.enum(['automated', 'interactive']).default('automated'),
  skipExtract: z.enum(['0', '1', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true'),
  from: isoDate.optional(),
  to: isoDate.optional(),
})
const RunsQuery = z.object({
  source: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})

function parseQuery<S extends z.ZodType>(schema: S, c: HonoContext): z.infer<S> {
  const parsed = schema.safeParse(c.req.query())
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue.path.join('.') || 'query'
    throw new AppError('BadRequest', `invalid query parameter '${field}': ${issue.message}`, { field })
  }
  return parsed.data
}

export interface AppOptions {
  /** Today's date for KPI freshness; tests pin it. */
  today?: () => string
}

export function createApp(runner: Runner, opts: AppOptions = {}): Hono {
  const { services, registry } = runner
  const today = opts.today ?? (() => new Date().toISOString().slice(0, 10))
  const kpiCache = new KpiCache<{ body: string; etag: string }>()
  const app = new Hono()

  app.onError((err, c) => {
    if (err instanceof AppError) return c.json(err.toJSON(), err.status as 400)
    services.log.error({ err, path: c.req.path }, 'unhandled error')
    return c.json(new AppError('Internal', err.message).toJSON(), 500)
  })
  app.notFound((c) => c.json(new AppError('NotFound', `no route ${c.req.method} ${c.req.path}`).toJSON(), 404))

  const requireSource = (source: string) => {
    if (!registry.sources.has(source)) throw new AppError('NotFound', `unknown source '${source}'`, { sources: [...registry.sources.keys()] })
  }

  app.post('/run/:source', async (c) => {
    const source = c.req.param('source')
    requireSource(source)
    const q = parseQuery(RunQuery, c)
    const report = await runner.run({ source, mode: q.mode, skipExtract: q.skipExtract, window: { from: q.from, to: q.to }, trigger: 'http' })
    return c.json(report)
  })

  app.post('/run', async (c) => {
    const q = parseQuery(RunQuery, c)
    const reports = await runner.runAll({ mode: q.mode, skipExtract: q.skipExtract, window: { from: q.from, to: q.to }, trigger: 'http' })
    return c.json({ runs: reports })
  })

  // Re-promotes all of landing with the current code and replaces the source's warehouse rows.
  app.post('/rebuild/:source', async (c) => {
    const source = c.req.param('source')
    requireSource(source)
    return c.json(await runner.run({ source, rebuild: true, skipExtract: true, trigger: 'rebuild' }))
  })

  app.post('/functions/:source/:step', async (c) => {
    const { source, step } = c.req.param()
    requireSource(source)
    if (!(STEP_KINDS as readonly string[]).includes(step) || !registry.sources.get(source)!.steps[step as StepKind]) {
      throw new AppError('NotFound', `source '${source}' has no step '${step}'`)
    }
    const q = parseQuery(RunQuery, c)
    return c.json(await runner.runStep(source, step as StepKind, { mode: q.mode, window: { from: q.from, to: q.to } }))
  })

  app.post('/import/:source', async (c) => {
    const source = c.req.param('source')
    requireSource(source)
    const q = parseQuery(z.object({ extractedAt: z.iso.datetime({ offset: true }).optional() }), c)
    const form = await c.req.parseBody({ all: true })
    const files = ([] as unknown[]).concat(form.file ?? [], form.files ?? []).filter((f): f is File => f instanceof File)
    if (!files.length) throw new AppError('BadRequest', "no file: send multipart form-data with field 'file'", { field: 'file' })
    const uploads = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })))
    const landed = await importFiles(services, registry, source, uploads, { extractedAt: q.extractedAt ? new Date(q.extractedAt) : undefined })
    const report = await runner.run({ source, skipExtract: true, trigger: 'import' })
    return c.json({ landed, run: report })
  })

  app.get('/kpi', (c) =>
    c.json({
      kpis: [...registry.kpis.values()].map((k) => ({ name: k.name, title: k.title, unit: k.unit, sources: k.sources, description: k.description })),
    }),
  )

  app.get('/kpi/:name', async (c) => {
    const def = registry.kpis.get(c.req.param('name'))
    if (!def) throw new AppError('NotFound', `unknown KPI '${c.req.param('name')}'`)
    const q = parseQuery(KpiQuery, c)
    // Session statuses change with the clock, not with loads: KPIs that read them are keyed on them too.
    const sessions = def.usesSessions ? await runner.sessionStatuses() : null
    const version = dataVersion(services.wh.sqlite) + (sessions ? `:${hashString(JSON.stringify(sessions))}` : '')
    const key = `${def.name}?${JSON.stringify(q)}&${today()}`
    let hit = kpiCache.get(key, version)
    if (!hit) {
      const envelope: KpiEnvelope = await def.evaluate({ db: services.wh.db, today: today(), sources: services.sources, sessions: async () => sessions ?? [] }, q)
      const body = JSON.stringify(envelope)
      hit = { body, etag: `"${version}-${hashString(key)}"` }
      kpiCache.set(key, version, hit)
    }
    if (c.req.header('if-none-match') === hit.etag) return c.body(null, 304, { ETag: hit.etag })
    return c.body(hit.body, 200, { 'Content-Type': 'application/json; charset=utf-8', ETag: hit.etag, 'Cache-Control': 'no-cache' })
  })

  app.get('/runs', async (c) => {
    const q = parseQuery(RunsQuery, c)
    let query = services.wh.db.selectFrom('runs').selectAll().orderBy('started_at', 'desc').limit(q.limit)
    if (q.source) query = query.where('source', '=', q.source)
    const runs = await query.execute()
    const steps = runs.length
      ? await services.wh.db.selectFrom('steps').selectAll().where('run_id', 'in', runs.map((r) => r.id)).execute()
      : []
    return c.json({ runs: runs.map((r) => ({ ...r, steps: steps.filter((s) => s.run_id === r.id) })) })
  })

  app.get('/health', async (c) => c.json(await health(runner, today())))
  app.get('/auth/status', async (c) => c.json({ sessions: await runner.sessionStatuses() }))

  mountWeb(app, { pollSeconds: services.config.pollSeconds })
  return app
}

function hashString(s: string): string {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return (h >>> 0).toString(36)
}
