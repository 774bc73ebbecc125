/**
 * YouTube payloads (external_apis.md §7): the Analytics result table (columns named by `columnHeaders`,
 * `rows` absent when there is no data), the Data API channel list (counts as uint64 strings), the OAuth
 * token answer, and Google's error body, whose `errors[0].reason` decides: an exhausted daily quota is
 * not retried until it resets (midnight Pacific), a short-term limit is, a dead credential never is.
 */
import { z } from 'zod'
import { UpstreamError } from '../../lib/upstream/client.ts'

export const ReportPayload = z
  .object({
    kind: z.literal('youtubeAnalytics#resultTable'),
    columnHeaders: z.array(z.object({ name: z.string(), columnType: z.string(), dataType: z.string() }).loose()),
    rows: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
  })
  .loose()
export type ReportPayload = z.infer<typeof ReportPayload>

const uint = z.string().regex(/^\d+$/)
export const ChannelsPayload = z
  .object({
    kind: z.literal('youtube#channelListResponse'),
    nextPageToken: z.string().optional(),
    items: z
      .array(
        z
          .object({
            id: z.string(),
            snippet: z.object({ title: z.string().optional() }).loose().optional(),
            statistics: z
              .object({
                viewCount: uint.optional(),
                subscriberCount: uint.optional(),
                videoCount: uint.optional(),
                hiddenSubscriberCount: z.boolean().optional(),
              })
              .loose(),
          })
          .loose(),
      )
      .default([]),
  })
  .loose()

export const TokenPayload = z.object({ access_token: z.string().min(8), expires_in: z.number().int().positive(), token_type: z.string().optional() })

const GoogleError = z.object({
  error: z.union([
    z.string(),
    z
      .object({
        code: z.number().optional(),
        message: z.string().default(''),
        status: z.string().optional(),
        errors: z.array(z.object({ reason: z.string().optional() }).loose()).optional(),
      })
      .loose(),
  ]),
  error_description: z.string().optional(),
})

/** Milliseconds until the next midnight in Pacific time (when YouTube's daily quota resets). */
export function msUntilPacificMidnight(now: Date): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  )
  const elapsed = (Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second)) * 1000
  return 86_400_000 - elapsed
}

export class QuotaExhausted extends UpstreamError {}

export function classifyGoogleError(status: number, body: string, res: Pick<Response, 'url'>): UpstreamError | null {
  let parsed
  try {
    parsed = GoogleError.safeParse(JSON.parse(body))
  } catch {
    return null
  }
  if (!parsed.success) return null
  const where = new URL(res.url || 'http://x/').pathname
  const e = parsed.data.error
  if (typeof e === 'string') {
    // The token endpoint: invalid_grant is a revoked or expired refresh token.
    const what = `${e}: ${parsed.data.error_description ?? ''} (${where})`
    return e === 'invalid_grant' || e === 'invalid_client' || e === 'unauthorized_client'
      ? new UpstreamError('needs_auth', what, status)
      : new UpstreamError('bad_request', what, status)
  }
  const reason = e.errors?.[0]?.reason ?? e.status ?? ''
  const what = `${reason || `HTTP ${status}`}: ${e.message} (${where})`
  if (reason === 'quotaExceeded' || reason === 'dailyLimitExceeded') return new QuotaExhausted('rate_limited', what, status, msUntilPacificMidnight(new Date()))
  if (reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded' || e.status === 'RESOURCE_EXHAUSTED')
    return new UpstreamError('rate_limited', what, status)
  if (status === 401 || e.status === 'UNAUTHENTICATED' || reason === 'authError' || reason === 'insufficientPermissions')
    return new UpstreamError('needs_auth', what, status)
  if (status >= 500) return new UpstreamError('unavailable', what, status)
  return new UpstreamError('bad_request', what, status)
}
