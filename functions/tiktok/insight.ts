/**
 * TikTok Studio's internal insight endpoint (external_apis.md §2), used only for the follower count the
 * Overview export lacks. `GET /aweme/v2/data/insight/?type_requests=[{"insigh_type":"follower_num",…}]`
 * answers HTTP 200 with `status_code` 0 and `follower_num: {value}`; a dead session is still HTTP 200,
 * with `status_code: 8` ("Login expired"), so the body decides, never the status.
 */
import { z } from 'zod'
import { LoginWall } from '../../lib/browser/browser.ts'
import { UpstreamError } from '../../lib/upstream/client.ts'

export const INSIGHT_PATH = '/aweme/v2/data/insight/'

export function insightQuery(): string {
  // The field really is spelled `insigh_type` (missing "t").
  const types = JSON.stringify([{ insigh_type: 'follower_num', days: 1, end_days: 0 }])
  const q = new URLSearchParams({
    locale: 'en',
    aid: '1988',
    app_name: 'tiktok_creator_center',
    app_language: 'en',
    device_platform: 'web_pc',
    channel: 'tiktok_web',
    tz_name: 'UTC',
    tz_offset: '0',
    type_requests: types,
  })
  return `${INSIGHT_PATH}?${q}`
}

export const InsightEnvelope = z.looseObject({ status_code: z.number().int(), status_msg: z.string().optional() })

export const FollowerInsight = z.looseObject({
  status_code: z.literal(0),
  follower_num: z.object({
    value: z
      .union([z.number(), z.string().regex(/^\d+$/)])
      .transform(Number)
      .pipe(z.number().int().nonnegative()),
  }),
})

export const STATUS_LOGIN_EXPIRED = 8

/** The landing name of one account's follower snapshot; the account is in the name, the payload lacks it. */
export const followersFileName = (account: string) => `tiktok_followers_${account}.json`
export function accountOfFollowersFile(name: string): string | null {
  return /tiktok_followers_([A-Za-z0-9._-]+?)(?:~\d+)?\.json$/.exec(name)?.[1] ?? null
}

/** An insight answer as text, checked: HTTP 200 with status_code 8 means logged out, any other non-zero is drift. */
export function checkInsight(text: string): string {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw new UpstreamError('drift', `malformed insight answer (${text.length} bytes)`)
  }
  const env = InsightEnvelope.safeParse(doc)
  if (!env.success) throw new UpstreamError('drift', 'the insight answer has no status_code')
  if (env.data.status_code === STATUS_LOGIN_EXPIRED) throw new LoginWall('TikTok answered status_code 8 (Login expired)')
  if (env.data.status_code !== 0)
    throw new UpstreamError('drift', `the insight endpoint answered status_code ${env.data.status_code} (${env.data.status_msg ?? ''})`)
  return text
}
