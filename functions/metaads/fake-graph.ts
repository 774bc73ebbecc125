/**
 * The Graph API's manners, for the fake: error bodies (HTTP 400, `error.code` inside), the three usage
 * headers, and cursor paging whose `paging.next` echoes the caller's token in its query as Meta does.
 */
import { randomBytes } from 'node:crypto'

export function graphErrorBody(code: number, message: string, subcode?: number) {
  return {
    error: {
      message,
      type: code === 190 || code === 2635 ? 'OAuthException' : code === 1 || code === 2 ? 'FacebookApiException' : 'OAuthException',
      code,
      ...(subcode ? { error_subcode: subcode } : {}),
      ...(code === 1 || code === 2 ? { is_transient: true } : {}),
      fbtrace_id: randomBytes(8).toString('base64url'),
    },
  }
}

export const ERRORS = {
  invalidToken: () => graphErrorBody(190, 'Invalid OAuth access token - Cannot parse access token'),
  expiredToken: (at: Date) => graphErrorBody(190, `Error validating access token: Session has expired on ${at.toUTCString()}.`, 463),
  userLimit: () => graphErrorBody(17, 'User request limit reached', 2446079),
  insightsLimit: () =>
    graphErrorBody(
      80000,
      'There have been too many calls from this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
    ),
  transient: () => graphErrorBody(2, 'Service temporarily unavailable'),
  tooMuch: () => graphErrorBody(1, "Please reduce the amount of data you're asking for, then retry your request"),
  deprecated: (latest: string) =>
    graphErrorBody(2635, `(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: ${latest}.`),
  badParam: (what: string) => graphErrorBody(100, `(#100) ${what}`),
  noObject: (id: string) =>
    graphErrorBody(
      100,
      `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      33,
    ),
}

export interface UsageState {
  /** Percent of the hourly quota used (0–100+). */
  pct: number
  /** Minutes until access is regained when throttled, else 0. */
  regainMinutes: number
}

/** The three usage headers Meta sends on Marketing API responses. */
export function usageHeaders(account: string, u: UsageState): Record<string, string> {
  const pct = Math.min(100, Math.round(u.pct))
  return {
    'X-Business-Use-Case-Usage': JSON.stringify({
      [account]: [
        {
          type: 'ads_insights',
          call_count: pct,
          total_cputime: Math.round(pct / 2),
          total_time: Math.round(pct / 2),
          estimated_time_to_regain_access: u.regainMinutes,
          ads_api_access_tier: 'standard_access',
        },
      ],
    }),
    'X-App-Usage': JSON.stringify({ call_count: Math.round(pct / 3), total_cputime: Math.round(pct / 4), total_time: Math.round(pct / 4) }),
    'X-Ad-Account-Usage': JSON.stringify({ acc_id_util_pct: pct, reset_time_duration: u.regainMinutes * 60, ads_api_access_tier: 'standard_access' }),
  }
}

interface Cursor {
  /** Offset of the next row. */
  o: number
  /** Whether the empty page has been served already. */
  e: boolean
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url')
export function decodeCursor(after: string | undefined): Cursor | null {
  if (!after) return { o: 0, e: false }
  try {
    const c = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as Cursor
    return Number.isInteger(c.o) && c.o >= 0 ? c : null
  } catch {
    return null
  }
}

/**
 * One page of rows. With `emptyPage`, the second page comes back empty yet still has a `next`
 * (a public client saw this; only a missing `next` ends the list).
 */
export function page<T>(rows: T[], url: URL, cursor: Cursor, size: number, token: string, emptyPage: boolean) {
  const next = (c: Cursor) => {
    const u = new URL(url)
    u.searchParams.set('access_token', token)
    u.searchParams.set('after', encode(c))
    return u.toString()
  }
  if (emptyPage && !cursor.e && cursor.o > 0 && cursor.o < rows.length) {
    const c = { o: cursor.o, e: true }
    return { data: [], paging: { cursors: { before: encode(cursor), after: encode(c) }, next: next(c) } }
  }
  const data = rows.slice(cursor.o, cursor.o + size)
  const after = { o: cursor.o + data.length, e: cursor.e }
  const more = after.o < rows.length
  return { data, paging: { cursors: { before: encode(cursor), after: encode(after) }, ...(more ? { next: next(after) } : {}) } }
}
