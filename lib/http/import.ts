/**
 * @module `POST /import/:source`: hand-exported files, streamed to landing (lib/http/upload.ts), then
 * clean → load. A refused upload (too large, a name with folders, content no export of this source
 * has) answers 4xx with the reason and lands nothing; a run that fails on what landed answers 422
 * with its report (the landing file is kept, as for every refused file).
 */
import { rm } from 'node:fs/promises'
import { Hono } from 'hono'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import { importFiles } from '../importer.ts'
import type { Runner } from '../pipeline.ts'
import { parseQuery } from './query.ts'
import { requireSource } from './runs.ts'
import { receiveFiles } from './upload.ts'

const ImportQuery = z.object({ extractedAt: z.iso.datetime({ offset: true }).optional() })

export function importRoutes(runner: Runner): Hono {
  const { services, registry } = runner
  const app = new Hono()

  app.post('/import/:source', async (c) => {
    const source = c.req.param('source')
    requireSource(runner, source)
    const q = parseQuery(ImportQuery, c)
    if (!registry.sources.get(source)!.steps.clean?.classify) throw new AppError('BadRequest', `source '${source}' does not take imported files`)
    // The temp files sit in the source's landing folder, so landing them is a rename on the same disk.
    const files = await receiveFiles(c.req.raw, services.lake.dir('landing', source), services.config.maxUploadBytes)
    let landed
    try {
      const uploads = files.map((f) => ({ name: f.name, path: f.path, temp: true }))
      landed = await importFiles(services, registry, source, uploads, { extractedAt: q.extractedAt ? new Date(q.extractedAt) : undefined })
    } finally {
      await Promise.all(files.map((f) => rm(f.path, { force: true })))
    }
    const run = await runner.run({ source, skipExtract: true, trigger: 'import' })
    return c.json({ landed, run }, run.status === 'failed' ? 422 : 200)
  })

  return app
}
