/**
 * @module The Graph API error envelope (Meta Marketing API and Instagram share it, external_apis.md §3,
 * §9, §10.1): `{"error":{"message","type","code","error_subcode","is_transient"}}`, usually on HTTP 400.
 * The code decides, not the status: 190/102/463 is a dead token (never retried), 4/17/32/613/80000–80014
 * a throttle (retried after the usage header's wait), 1/2 or `is_transient` a transient failure.
 */
import { z } from 'zod'
import { UpstreamError } from './client.ts'

const GraphError = z.object({
  error: z.object({
    message: z.string().default(''),
    code: z.coerce.number().int(),
    error_subcode: z.coerce.number().int().optional(),
    is_transient: z.boolean().optional(),
  }),
})

const THROTTLE = new Set([4, 17, 32, 613])
const AUTH = new Set([190, 102, 463])

/** Minutes until access returns, from the usage headers (the longest wait any bucket asks for). */
export function graphRegainMs(res: Pick<Response, 'headers'>): number | undefined {
  let minutes = 0
  for (const name of ['x-business-use-case-usage', 'x-app-usage', 'x-ad-account-usage']) {
    const text = res.headers.get(name)
    if (!text) continue
    try {
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) v.forEach(walk)
        else if (v && typeof v === 'object') {
          const o = v as Record<string, unknown>
          if (typeof o.estimated_time_to_regain_access === 'number') minutes = Math.max(minutes, o.estimated_time_to_regain_access)
          Object.values(o).forEach(walk)
        }
      }
      walk(JSON.parse(text))
    } catch {
      // An unreadable usage header only costs the hint; the backoff still applies.
    }
  }
  return minutes > 0 ? minutes * 60_000 : undefined
}

export function classifyGraphError(status: number, body: string, res: Pick<Response, 'headers' | 'url'>): UpstreamError | null {
  let parsed
  try {
    parsed = GraphError.safeParse(JSON.parse(body))
  } catch {
    return null
  }
  if (!parsed.success) return null
  const e = parsed.data.error
  const where = new URL(res.url || 'http://x/').pathname
  const what = `Graph error ${e.code}${e.error_subcode ? `/${e.error_subcode}` : ''}: ${e.message} (${where})`
  if (AUTH.has(e.code)) return new UpstreamError('needs_auth', what, status)
  if (THROTTLE.has(e.code) || (e.code >= 80000 && e.code <= 80014)) return new UpstreamError('rate_limited', what, status, graphRegainMs(res))
  if (e.is_transient || e.code === 1 || e.code === 2) return new UpstreamError('unavailable', what, status)
  return new UpstreamError('bad_request', what, status)
}
