/** @module Routes that run the pipeline: one source, every source (what cron calls), a rebuild, one step alone. */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { STEP_KINDS, type StepKind } from '../define.ts'
import { AppError } from '../errors.ts'
import type { Runner } from '../pipeline.ts'
import { parseQuery, RunQuery } from './query.ts'

/** A 404 unless `source` is a registered source: names are checked before anything uses them. */
export function requireSource(runner: Runner, source: string): void {
  if (!runner.registry.sources.has(source)) {
    throw new AppError('NotFound', `unknown source '${source.slice(0, 80)}'`, { sources: [...runner.registry.sources.keys()] })
  }
}

export function runRoutes(runner: Runner): Hono {
  const app = new Hono()
  // These routes read their query only: any body is refused past a few KB rather than read.
  const small = bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.json(new AppError('PayloadTooLarge', 'this route takes no body').toJSON(), 413) })
  for (const path of ['/run', '/run/*', '/rebuild/*', '/functions/*']) app.use(path, small)

  app.post('/run/:source', async (c) => {
    const source = c.req.param('source')
    requireSource(runner, source)
    const q = parseQuery(RunQuery, c)
    const report = await runner.run({ source, mode: q.mode, skipExtract: q.skipExtract, window: { from: q.from, to: q.to }, trigger: 'http' })
    return c.json(report)
  })

  app.post('/run', async (c) => {
    const q = parseQuery(RunQuery, c)
    const reports = await runner.runAll({ mode: q.mode, skipExtract: q.skipExtract, window: { from: q.from, to: q.to }, trigger: 'http' })
    return c.json({ runs: reports })
  })

  // Re-promotes all of landing with the current code and replaces the source's warehouse rows (lib/rebuild.ts).
  app.post('/rebuild/:source', async (c) => {
    const source = c.req.param('source')
    requireSource(runner, source)
    return c.json(await runner.run({ source, rebuild: true, skipExtract: true, trigger: 'rebuild' }))
  })

  app.post('/functions/:source/:step', async (c) => {
    const { source, step } = c.req.param()
    requireSource(runner, source)
    if (!(STEP_KINDS as readonly string[]).includes(step) || !runner.registry.sources.get(source)!.steps[step as StepKind]) {
      throw new AppError('NotFound', `source '${source}' has no step '${step.slice(0, 80)}'`)
    }
    const q = parseQuery(RunQuery, c)
    return c.json(await runner.runStep(source, step as StepKind, { mode: q.mode, window: { from: q.from, to: q.to } }))
  })

  return app
}
