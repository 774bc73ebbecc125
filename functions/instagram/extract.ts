/**
 * Instagram extractor: per configured account, renew the long-lived token once it is a day old (so it
 * never reaches its 60 days while runs continue), then read the trailing 30 days — reach and
 * follower_count as daily series, views as one total_value per day — in windows of at most 30 days.
 * The token travels as the `access_token` query parameter, as the API wants; error messages carry the
 * path only, and the token is registered with the log scrubber when loaded.
 */
import type { Context } from '../../lib/context.ts'
import { defineExtractor } from '../../lib/define.ts'
import type { Account } from '../../lib/source.ts'
import { classifyGraphError } from '../../lib/upstream/graph-errors.ts'
import { upstreamFailure } from '../../lib/upstream/outcome.ts'
import { UpstreamError } from '../../lib/upstream/client.ts'
import { chunks, fetchWindow } from '../../lib/upstream/window.ts'
import { addDays } from '../../lib/kpi/window.ts'
import { InsightsPayload, landingName, RefreshPayload, TotalValuePayload } from './payloads.ts'

const DAY = 86_400_000
const opts = { classifyError: classifyGraphError, source: 'instagram' }

async function renewedToken(ctx: Context, account: string, base: string): Promise<string> {
  const stored = await ctx.credentials.load('instagram', account)
  if (!stored?.token) throw new UpstreamError('needs_auth', `no Instagram token is stored for ${account}`)
  if (ctx.now.getTime() - Date.parse(stored.capturedAt) < DAY) return stored.token
  const url = `${base}/refresh_access_token?grant_type=ig_refresh_token&access_token=${encodeURIComponent(stored.token)}`
  const { data } = await ctx.upstream.json(url, RefreshPayload, opts)
  await ctx.credentials.save('instagram', account, { token: data.access_token }, ctx.now)
  return (await ctx.credentials.load('instagram', account))!.token!
}

async function extractAccount(ctx: Context, account: Account): Promise<number> {
  const src = ctx.sources.get('instagram')!
  const base = src.baseUrls.main
  const token = await renewedToken(ctx, account.name, base)
  const root = `${base}/${src.settings.graphVersion}/${encodeURIComponent(account.id ?? 'me')}/insights`
  const auth = `access_token=${encodeURIComponent(token)}`
  let files = 0
  for (const w of chunks(fetchWindow(ctx, 30), 30)) {
    const until = addDays(w.to, 1)
    const { raw } = await ctx.upstream.json(`${root}?metric=reach,follower_count&period=day&since=${w.from}&until=${until}&${auth}`, InsightsPayload, opts)
    await ctx.lake.land('instagram', 'insights', landingName('insights', account.name, w.from, w.to), raw, ctx.now)
    files++
    for (let d = w.from; d <= w.to; d = addDays(d, 1)) {
      const { raw: body } = await ctx.upstream.json(
        `${root}?metric=views&metric_type=total_value&period=day&since=${d}&until=${addDays(d, 1)}&${auth}`,
        TotalValuePayload,
        opts,
      )
      const envelope = JSON.stringify({ account: account.name, since: d, until: addDays(d, 1), body })
      await ctx.lake.land('instagram', 'views', landingName('views', account.name, d, d), envelope, ctx.now)
      files++
    }
  }
  return files
}

export default defineExtractor({
  source: 'instagram',
  description: 'Instagram account insights (reach, followers, views per day) with the stored long-lived token',
  async run(ctx) {
    let filesOut = 0
    const notes: string[] = []
    let authFailures = 0
    const accounts = ctx.sources.get('instagram')!.accounts
    for (const account of accounts) {
      try {
        const n = await extractAccount(ctx, account)
        filesOut += n
        notes.push(`${account.name}: ${n} files`)
      } catch (err) {
        const o = upstreamFailure('instagram', err, { account: account.name, what: `Instagram ${account.name}` })
        if (o.status !== 'needs_auth') return { ...o, filesOut }
        authFailures++
        notes.push(o.message ?? 'log in again')
      }
    }
    if (authFailures === accounts.length) return { status: 'needs_auth', severity: 'low', filesOut, message: notes.join('; ') }
    return { status: 'ok', severity: authFailures ? 'low' : undefined, filesOut, message: notes.join('; ') }
  },
})
