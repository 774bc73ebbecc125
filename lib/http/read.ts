/** @module Read-only routes: the KPI list and envelopes (ETag, 304), run history, health, session status. */
import { Hono } from 'hono'
import { z } from 'zod'
import { health } from '../health.ts'
import type { Runner } from '../pipeline.ts'
import { kpiRoute } from './kpi.ts'
import { parseQuery } from './query.ts'

const RunsQuery = z.object({
  source: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})

export function readRoutes(runner: Runner, today: () => string): Hono {
  const { services, registry } = runner
  const app = new Hono()

  app.get('/kpi', (c) =>
    c.json({
      kpis: [...registry.kpis.values()].map((k) => ({ name: k.name, title: k.title, unit: k.unit, sources: k.sources, description: k.description })),
    }),
  )

  kpiRoute(app, runner, today)

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
