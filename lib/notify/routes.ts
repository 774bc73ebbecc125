/**
 * @module GET /notifications: what people were told (newest first), for the page. Never a secret: the
 * rows hold the event text and the command to run, and which channel delivered it.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { AppError } from '../errors.ts'
import type { Runner } from '../pipeline.ts'
import { channelsFrom } from './channels.ts'

const Query = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), source: z.string().min(1).optional() })

export function notificationRoutes(runner: Runner): Hono {
  const app = new Hono()
  app.get('/', async (c) => {
    const parsed = Query.safeParse(c.req.query())
    if (!parsed.success) {
      const field = parsed.error.issues[0].path.join('.') || 'query'
      throw new AppError('BadRequest', `invalid query parameter '${field}': ${parsed.error.issues[0].message}`, { field })
    }
    const { limit, source } = parsed.data
    let q = runner.services.wh.db.selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(limit)
    if (source) q = q.where('source', '=', source)
    const rows = await q.execute()
    return c.json({
      channels: channelsFrom(runner.services.config).map((ch) => ch.name),
      notifications: rows.map((r) => ({
        id: r.id,
        key: r.event_key,
        kind: r.kind,
        level: r.level,
        source: r.source,
        account: r.account,
        text: r.text,
        command: r.command,
        createdAt: r.created_at,
        delivered: { webhook: r.webhook_at, email: r.email_at },
        lastError: r.last_error,
      })),
    })
  })
  return app
}
