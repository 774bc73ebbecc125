/**
 * TikTok extractor: per configured account, its own stored session drives TikTok Studio (studio.ts)
 * and lands the 365-day Overview export and a follower snapshot. Accounts stand alone: one whose
 * session is missing, expired or answered "Login expired" is needs_auth with its own login command,
 * the others still run; the step is needs_auth only when every account needs a login.
 * The export's name must carry the account that was driven (it is what the cleaner reads); a name
 * without one is given it, a name with another account is refused.
 */
import type { Context } from '../../lib/context.ts'
import { defineExtractor, type Severity } from '../../lib/define.ts'
import { LoginWall } from '../../lib/browser/browser.ts'
import { cookieHeader } from '../../lib/browser/cookies.ts'
import { cadenceDue } from '../../lib/lake/cadence.ts'
import { RefusedFile } from '../../lib/errors.ts'
import { UpstreamError } from '../../lib/upstream/client.ts'
import { upstreamFailure } from '../../lib/upstream/outcome.ts'
import { checkInsight, followersFileName, insightQuery } from './insight.ts'
import { addDays, csvOfZip, overviewFileName, parseOverviewName } from './overview.ts'
import { tiktokAccounts, tiktokBase } from './settings.ts'
import { driveStudio, WINDOW_DAYS } from './studio.ts'

interface AccountResult {
  kind: 'ok' | 'auth' | 'failed'
  filesOut: number
  message: string
  severity?: Severity
}

async function extractAccount(ctx: Context, account: string): Promise<AccountResult> {
  const status = await ctx.credentials.status('tiktok', account)
  if (status.status === 'missing' || status.status === 'expired') {
    return { kind: 'auth', filesOut: 0, message: `${account}: session ${status.status}: log in again with \`${status.command}\`` }
  }
  const session = await ctx.credentials.load('tiktok', account)
  if (!session?.storageState)
    return { kind: 'auth', filesOut: 0, message: `${account}: the stored session holds no browser cookies: log in again with \`${status.command}\`` }
  let filesOut = 0
  const expiring = status.status === 'expiring' ? ` (session expiring in ${status.daysLeft} days: run \`${status.command}\`)` : ''
  try {
    const due = await cadenceDue(ctx, {
      source: 'tiktok',
      dataset: 'overview',
      match: (f) => parseOverviewName(f.name)?.account === account,
      everyMs: (ctx.sources.get('tiktok')!.settings.exportEveryHours as number) * 3_600_000,
      what: 'the Overview export',
      setting: 'BEDROT_TIKTOK_EXPORT_EVERY_HOURS',
    })
    if (!due.due) {
      // No browser: the follower count is one JSON read with the stored cookies.
      const url = tiktokBase(ctx) + insightQuery()
      const text = await ctx.upstream.text(url, { headers: { Cookie: cookieHeader(session.storageState, url) }, source: 'tiktok' })
      await ctx.lake.land('tiktok', 'followers', followersFileName(account), checkInsight(text), ctx.now)
      filesOut++
      return { kind: 'ok', filesOut, message: `${account}: a follower snapshot landed; ${due.why}${expiring}` }
    }
    const r = await driveStudio(ctx, tiktokBase(ctx), session.storageState)
    const name = exportName(r.suggestedName, account, ctx.now)
    await ctx.lake.land('tiktok', 'followers', followersFileName(account), r.followersJson, ctx.now)
    filesOut++
    await ctx.lake.land('tiktok', 'overview', name, r.zip, ctx.now)
    filesOut++
    // The browser may have refreshed cookies: keep them, with the original capture time (same login).
    await ctx.credentials.save('tiktok', account, { storageState: r.storageState }, new Date(session.capturedAt))
    csvOfZip(r.zip) // a truncated download is landed for inspection but reported here, not found later
    return { kind: 'ok', filesOut, message: `${account}: ${name} and a follower snapshot landed${expiring}` }
  } catch (err) {
    const e =
      err instanceof LoginWall
        ? new UpstreamError('needs_auth', err.message)
        : err instanceof UpstreamError
          ? err
          : err instanceof RefusedFile
            ? new UpstreamError('drift', err.message)
            : err
    const o = upstreamFailure('tiktok', e, { account, filesOut, what: account })
    return { kind: o.status === 'needs_auth' ? 'auth' : 'failed', filesOut, severity: o.severity, message: o.message ?? o.status }
  }
}

/** The landing name: TikTok's own, with the account it was driven for. */
export function exportName(suggested: string, account: string, now: Date): string {
  const parsed = parseOverviewName(suggested)
  if (parsed && parsed.account !== account) throw new UpstreamError('drift', `the export for ${account} is named for ${parsed.account} (${suggested})`)
  if (parsed) return suggested
  // No account suffix (TikTok's plain `Overview_<start>_<epoch>.zip`): add the account that was driven.
  const m = /^Overview_(\d{4}-\d{2}-\d{2})_(\d{9,11})\.zip$/.exec(suggested)
  if (m) return overviewFileName({ windowStart: m[1], downloadedAt: new Date(Number(m[2]) * 1000).toISOString(), account })
  const today = now.toISOString().slice(0, 10)
  return overviewFileName({ windowStart: addDays(today, -(WINDOW_DAYS - 1)), downloadedAt: now.toISOString(), account })
}

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 }
const worst = (xs: (Severity | undefined)[]) => xs.reduce<Severity | undefined>((w, s) => (s && (!w || RANK[s] > RANK[w]) ? s : w), undefined)

export default defineExtractor({
  source: 'tiktok',
  description: 'TikTok Studio 365-day Overview export (ZIP/CSV) and follower count per account, with each account’s stored session',
  async run(ctx) {
    const results: AccountResult[] = []
    for (const account of tiktokAccounts(ctx)) results.push(await extractAccount(ctx, account))
    const filesOut = results.reduce((s, r) => s + r.filesOut, 0)
    const message = results.map((r) => r.message).join('; ')
    const auth = results.filter((r) => r.kind === 'auth').length
    if (results.some((r) => r.kind === 'failed')) return { status: 'failed', severity: worst(results.map((r) => r.severity)), filesOut, message }
    if (auth === results.length) return { status: 'needs_auth', severity: 'low', filesOut, message }
    return { status: 'ok', severity: auth ? 'low' : undefined, filesOut, message }
  },
})
