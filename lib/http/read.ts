/** @module Read-only routes: the KPI list and envelopes (ETag, 304), run history, health, session status. */
import { Hono } from 'hono'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { health } from '../health.ts'
import { dataVersion, KpiCache } from '../kpi/cache.ts'
import type { KpiEnvelope } from '../kpi/define.ts'
import { KpiQuery } from '../kpi/window.ts'
import type { Runner } from '../pipeline.ts'
import { parseQuery } from './query.ts'

const RunsQuery = z.object({
  source: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})

export function readRoutes(runner: Runner, today: () => string): Hono {
  const { services, registry } = runner
  const kpiCache = new KpiCache<{ body: string; etag: string }>()
  const kpiQueries = new Map<string, { q: KpiQuery; json: string }>()
  const app = new Hono()

  app.get('/kpi', (c) =>
    c.json({
      kpis: [...registry.kpis.values()].map((k) => ({ name: k.name, title: k.title, unit: k.unit, sources: k.sources, description: k.description })),
    }),
  )

  app.get('/kpi/:name', async (c) => {
    const def = registry.kpis.get(c.req.param('name'))
    if (!def) throw new AppError('NotFound', `unknown KPI '${c.req.param('name').slice(0, 80)}'`)
    // The page polls the same few URLs: each distinct query string is validated once, then reused.
    const at = c.req.url.indexOf('?')
    const raw = at < 0 ? '' : c.req.url.slice(at)
    let parsed = kpiQueries.get(raw)
    if (!parsed) {
      const q = parseQuery(KpiQuery, c)
      if (kpiQueries.size >= 1000) kpiQueries.clear()
      kpiQueries.set(raw, (parsed = { q: Object.freeze(q), json: JSON.stringify(q) }))
    }
    const q = parsed.q
    // Session statuses change with the clock, not with loads: KPIs that read them are keyed on them too.
    const sessions = def.usesSessions ? await runner.sessionStatuses() : null
    const version = dataVersion(services.wh.sqlite) + (sessions ? `:${hashString(JSON.stringify(sessions))}` : '')
    const key = `${def.name}?${parsed.json}&${today()}`
    let hit = kpiCache.get(key, version)
    if (!hit) {
      const envelope: KpiEnvelope = await def.evaluate(
        { db: services.wh.db, today: today(), sources: services.sources, sessions: async () => sessions ?? [] },
        q,
      )
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
      ? await services.wh.db
          .selectFrom('steps')
          .selectAll()
          .where(
            'run_id',
            'in',
            runs.map((r) => r.id),
          )
          .execute()
      : []
    return c.json({ runs: runs.map((r) => ({ ...r, steps: steps.filter((s) => s.run_id === r.id) })) })
  })

  app.get('/health', async (c) => c.json(await health(runner, today())))
  app.get('/auth/status', async (c) => c.json({ sessions: await runner.sessionStatuses() }))
  return app
}

function hashString(s: string): string {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return (h >>> 0).toString(36)
}
