/** @module Query parsing for the routes: zod, and a 400 naming the first bad field. */
import type { Context } from 'hono'
import { z } from 'zod'
import { AppError } from '../errors.ts'

const isoDate = z.iso.date()

export const RunQuery = z.object({
  mode: z.enum(['automated', 'interactive']).default('automated'),
  skipExtract: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  from: isoDate.optional(),
  to: isoDate.optional(),
})

export function parseQuery<S extends z.ZodType>(schema: S, c: Context): z.infer<S> {
  const parsed = schema.safeParse(c.req.query())
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue.path.join('.') || 'query'
    throw new AppError('BadRequest', `invalid query parameter '${field}': ${issue.message}`, { field })
  }
  return parsed.data
}
