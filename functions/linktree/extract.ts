/**
 * Linktree extractor: the admin UI's GraphQL analytics, asked directly with the stored session's bearer
 * token (the original captured the same answers passively in a browser). One capture = the daily
 * overview over the last 365 days (or the requested window, which Linktree clamps to 365 days), link
 * and social clicks, the link titles, and the breakdowns with the lifetime snapshot. Every answer is
 * checked before any is landed, so a failure lands nothing; earlier captures keep the older history.
 * GraphQL reports errors in a 200 body: UNAUTHENTICATED is needs_auth, anything else is drift.
 */
import { z } from 'zod'
import { jwtFromStorage } from '../../lib/credentials/login.ts'
import { defineExtractor } from '../../lib/define.ts'
import { addDays } from '../../lib/kpi/window.ts'
import { UpstreamError } from '../../lib/upstream/client.ts'
import { upstreamFailure } from '../../lib/upstream/outcome.ts'
import { graphqlErrors, payloadKind } from './payloads.ts'
import { linktreeBase } from './settings.ts'

const WINDOW_DAYS = 365
const Answer = z.looseObject({ data: z.unknown().optional(), errors: z.array(z.unknown()).optional() })

const QUERIES = {
  overview: `query AccountAnalyticsOverview($startDate: String!, $endDate: String!, $granularity: Granularity) {
  getAccountAnalytics(startDate: $startDate, endDate: $endDate, granularity: $granularity) {
    overview { totalViews totalClicks clickThroughRate timeToClick clickThroughBenchmark
      timeseries { totalViews totalClicks uniqueViews uniqueClicks clickThroughRate date } } } }`,
  links: `query AccountAnalyticsLinks($startDate: String!, $endDate: String!) {
  getAccountAnalytics(startDate: $startDate, endDate: $endDate) {
    links { id clicks { total } breakdown { date clicks } }
    socials { socials { date name views { total } clicks { total } } timeseries { date name views { total } clicks { total } } }
    products { id } } }`,
  breakdowns: `query AccountAnalyticsBreakdowns($startDate: String!, $endDate: String!) {
  getAccountAnalytics(startDate: $startDate, endDate: $endDate) {
    lifetime { views { total } clicks { total profile socials } subscribers { total } clickThroughRate }
    locations { cities { name countryCode coordinates views { total } clicks { total } } countries { name countryCode views { total } clicks { total } } }
    referrers { referrers { name views { total } clicks { total } } }
    devices { devices { name views { total } clicks { total } } } } }`,
} as const

const titlesQuery = (ids: string[]) =>
  `query LinkTitles { ${ids.map((id) => `link${id}: link(id: ${id}) { id title active modifiers { thumbnailUrl } }`).join(' ')} }`

export default defineExtractor({
  source: 'linktree',
  description: 'Linktree analytics over GraphQL (daily views/clicks, links, socials, referrers, lifetime) with the stored session',
  async run(ctx) {
    const base = linktreeBase(ctx)
    const session = await ctx.credentials.load('linktree', 'default')
    const token = session?.token ?? jwtFromStorage(session?.storageState, new URL(ctx.sources.get('linktree')!.baseUrls.web).origin)
    if (!token) return upstreamFailure('linktree', new UpstreamError('needs_auth', 'no Linktree session token is stored'))
    const today = ctx.now.toISOString().slice(0, 10)
    const to = ctx.window.to && ctx.window.to < today ? ctx.window.to : today
    const earliest = addDays(today, -(WINDOW_DAYS - 1))
    const from = ctx.window.from && ctx.window.from > earliest ? ctx.window.from : earliest
    const variables = { startDate: from, endDate: to, granularity: 'DAILY' }
    const headers = {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Origin: 'https://linktr.ee',
      Referer: 'https://linktr.ee/',
    }
    const ask = async (operationName: string, query: string, vars: Record<string, unknown>, expect: string) => {
      const { raw, data } = await ctx.upstream.json(`${base}/graphql`, Answer, {
        method: 'POST',
        headers,
        body: JSON.stringify({ operationName, variables: vars, query }),
      })
      const errors = graphqlErrors(data)
      if (errors?.unauthenticated) throw new UpstreamError('needs_auth', `Linktree rejected the session: ${errors.messages.join('; ')}`)
      if (errors) throw new UpstreamError('drift', `${operationName}: ${errors.messages.join('; ')}`)
      const kind = payloadKind(data)
      if (kind !== expect) throw new UpstreamError('drift', `${operationName} answered a ${kind} payload, not ${expect}`)
      return { raw, data: data as { data: Record<string, unknown> } }
    }
    const answers: string[] = []
    let days = 0
    try {
      const overview = await ask('AccountAnalyticsOverview', QUERIES.overview, variables, 'overview')
      days = ((overview.data.data.getAccountAnalytics as { overview: { timeseries: unknown[] } }).overview.timeseries ?? []).length
      answers.push(overview.raw)
      const links = await ask('AccountAnalyticsLinks', QUERIES.links, variables, 'links')
      answers.push(links.raw)
      const ids = ((links.data.data.getAccountAnalytics as { links: { id: unknown }[] }).links ?? []).map((l) => String(l.id)).filter((id) => /^\d+$/.test(id))
      if (ids.length) answers.push((await ask('LinkTitles', titlesQuery(ids), {}, 'link_titles')).raw)
      answers.push((await ask('AccountAnalyticsBreakdowns', QUERIES.breakdowns, variables, 'breakdowns')).raw)
    } catch (err) {
      return upstreamFailure('linktree', err, { what: 'Linktree analytics' })
    }
    // Named like the original's captures: the name says when, the payload says what.
    for (const [i, raw] of answers.entries()) await ctx.lake.land('linktree', 'graphql', `graphql_${i}.json`, raw, ctx.now)
    const clamped =
      ctx.window.from && ctx.window.from < earliest
        ? `; Linktree serves only the last ${WINDOW_DAYS} days (from ${earliest}), earlier days come from earlier captures`
        : ''
    return { status: 'ok', filesOut: answers.length, message: `${answers.length} answers landed, ${days} days ${from} … ${to}${clamped}` }
  },
})
