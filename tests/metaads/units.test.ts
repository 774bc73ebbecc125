/** Meta's parsing rules one by one: ids never through a JS number, exact cents, classification, errors, usage. */
import { describe, expect, it } from 'vitest'
import { parseJsonKeepingIds, quoteLongIntegers } from '../../lib/json-ids.ts'
import { scrubSecrets } from '../../lib/log.ts'
import { chunks } from '../../functions/metaads/extract.ts'
import { graphError, insightsUrl, usage, withoutToken } from '../../functions/metaads/graph.ts'
import { classifyHead, InsightRow, spendCents } from '../../functions/metaads/payloads.ts'
import { spendText } from '../../functions/metaads/fake-data.ts'

describe('ids', () => {
  it('an unquoted 18-digit id arrives as its exact digits, not a rounded number', () => {
    // What plain JSON.parse does to it:
    expect(String(JSON.parse('{"id":120224907266750075}').id)).not.toBe('120224907266750075')
    expect(parseJsonKeepingIds('{"id":120224907266750075,"n":12,"x":-1.5e3,"s":"a 120224907266750075 \\" q"}')).toEqual({
      id: '120224907266750075',
      n: 12,
      x: -1500,
      s: 'a 120224907266750075 " q',
    })
  })
  it('leaves numbers a double holds exactly, and strings, alone', () => {
    const text = '[999999999999999, 1.25, "12345678901234567890"]'
    expect(quoteLongIntegers(text)).toBe(text)
  })
})

describe('money', () => {
  it('spend text in major units → exact cents', () => {
    expect(['18', '11.5', '223.3', '36.24', '0', '0.01', '5339.50'].map(spendCents)).toEqual([1800, 1150, 22330, 3624, 0, 1, 533950])
  })
  it('refuses what is not a 2-decimal amount', () => {
    expect(['3.415', '-1', '1,5', '', 'abc'].map(spendCents)).toEqual([null, null, null, null, null])
  })
  it('the fake writes spend the way Meta does', () => {
    expect([1800, 1150, 3624, 5].map(spendText)).toEqual(['18', '11.5', '36.24', '0.05'])
  })
  it('an insight row with numbers as strings parses to integers and cents', () => {
    const r = InsightRow.parse({
      campaign_id: '120224907266750075',
      spend: '36.24',
      impressions: '19629',
      clicks: '216',
      date_start: '2025-05-23',
      date_stop: '2025-05-26',
    })
    expect(r).toMatchObject({ campaign_id: '120224907266750075', spend: 3624, impressions: 19629, clicks: 216 })
    expect(InsightRow.safeParse({ campaign_id: '1', spend: '1', impressions: '1.5', date_start: '2025-05-23', date_stop: '2025-05-23' }).success).toBe(false)
  })
})

describe('classification by content', () => {
  const arr = (o: object) => JSON.stringify([o], null, 2)
  it('dump files and Graph responses', () => {
    expect(classifyHead(arr({ id: '1', name: 'X', status: 'ACTIVE', objective: 'OUTCOME_ENGAGEMENT' }))).toBe('campaigns')
    expect(classifyHead(arr({ id: '2', name: 'AD SET', campaign_id: '1', daily_budget: '500' }))).toBe('adsets')
    expect(classifyHead(arr({ id: '3', name: 'AD1', adset_id: '2', campaign_id: '1', creative: { id: '9' } }))).toBe('ads')
    expect(classifyHead(arr({ campaign_id: '1', date_start: '2025-05-23', date_stop: '2025-05-26', spend: '1' }))).toBe('insights_snapshot')
    expect(classifyHead(JSON.stringify({ data: [{ campaign_id: '1', spend: '1', date_start: '2025-05-23', date_stop: '2025-05-23' }] }))).toBe('insights_daily')
    expect(classifyHead('date,spend\n2025-01-01,3')).toBeNull()
    expect(classifyHead('{"streams":[]}')).toBeNull()
  })
})

describe('Graph errors and usage headers', () => {
  const res = (headers: Record<string, string> = {}) => new Response(null, { status: 400, headers })
  const err = (code: number, sub?: number) => JSON.stringify({ error: { message: 'm', type: 'OAuthException', code, error_subcode: sub } })
  it('190 (any subcode) and 102 are needs_auth', () => {
    expect(graphError(res(), err(190, 463))?.kind).toBe('needs_auth')
    expect(graphError(res(), err(190))?.kind).toBe('needs_auth')
    expect(graphError(res(), err(102))?.kind).toBe('needs_auth')
  })
  it('4, 17, 32, 613 and 80000–80014 are throttling; the BUC regain time (minutes) becomes the wait', () => {
    for (const code of [4, 17, 32, 613, 80000, 80004, 80014]) expect(graphError(res(), err(code))?.kind).toBe('rate_limited')
    const buc = JSON.stringify({ act_1: [{ type: 'ads_insights', call_count: 100, estimated_time_to_regain_access: 3 }] })
    expect(graphError(res({ 'X-Business-Use-Case-Usage': buc }), err(80000))?.retryAfterMs).toBe(180_000)
    expect(graphError(res(), err(80015))?.kind).toBe('bad_request')
  })
  it('transient, deprecated version, bad parameter; no error body leaves it to HTTP', () => {
    expect(graphError(res(), err(2))?.kind).toBe('unavailable')
    const tooMuch = JSON.stringify({
      error: { message: "Please reduce the amount of data you're asking for, then retry your request", code: 1, is_transient: true },
    })
    expect(graphError(res(), tooMuch)).toMatchObject({ kind: 'bad_request', message: expect.stringMatching(/^Meta asks for less data/) })
    expect(graphError(res(), err(2635))?.message).toMatch(/META_GRAPH_VERSION/)
    expect(graphError(res(), err(100))?.kind).toBe('bad_request')
    expect(graphError(new Response(), '{"data":[]}')).toBeNull()
    expect(graphError(new Response(), '<html>')).toBeNull()
  })
  it('usage: the highest of the three headers', () => {
    const h = new Headers({
      'X-App-Usage': '{"call_count":16,"total_cputime":15,"total_time":12}',
      'X-Ad-Account-Usage': '{"acc_id_util_pct":9.67,"reset_time_duration":0}',
      'X-Business-Use-Case-Usage': '{"123":[{"type":"ads_insights","call_count":28,"total_cputime":81,"total_time":25,"estimated_time_to_regain_access":0}]}',
    })
    expect(usage(h)).toEqual({ pct: 81 })
    expect(usage(new Headers())).toEqual({ pct: 0 })
  })
})

describe('requests', () => {
  it('insights URL: level=campaign, time_increment=1, a JSON time_range; never a token', () => {
    const u = new URL(insightsUrl('https://graph.facebook.com', 'v25.0', '123', '2025-05-01', '2025-05-31'))
    expect(u.pathname).toBe('/v25.0/act_123/insights')
    expect(Object.fromEntries(u.searchParams)).toMatchObject({
      level: 'campaign',
      time_increment: '1',
      time_range: '{"since":"2025-05-01","until":"2025-05-31"}',
    })
    expect(u.searchParams.has('access_token')).toBe(false)
  })
  it('next links lose the token Meta echoes into them; log lines lose any token in a URL', () => {
    expect(withoutToken('https://g/v25.0/act_1/insights?access_token=fake-meta-token-x&after=QQ')).toBe('https://g/v25.0/act_1/insights?after=QQ')
    expect(scrubSecrets('GET /x?level=campaign&access_token=fake-meta-token-abc&after=1')).toBe('GET /x?level=campaign&access_token=[redacted]&after=1')
  })
  it('a window splits into chunks of at most 31 days', () => {
    expect(chunks('2025-01-01', '2025-03-05')).toEqual([
      { since: '2025-01-01', until: '2025-01-31' },
      { since: '2025-02-01', until: '2025-03-03' },
      { since: '2025-03-04', until: '2025-03-05' },
    ])
    expect(chunks('2025-01-01', '2025-01-01')).toEqual([{ since: '2025-01-01', until: '2025-01-01' }])
  })
})
