/** Social, link-in-bio, video and e-mail KPIs (19–24, 28). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import emailAudience from '../../functions/kpi/email-audience.ts'
import instagramReach from '../../functions/kpi/instagram-reach.ts'
import linktreeClicks from '../../functions/kpi/linktree-clicks.ts'
import tiktokEngagement from '../../functions/kpi/tiktok-engagement.ts'
import tiktokFollowers from '../../functions/kpi/tiktok-followers.ts'
import tiktokViews from '../../functions/kpi/tiktok-views.ts'
import youtubeViews from '../../functions/kpi/youtube-views.ts'
import type { Warehouse } from '../../lib/warehouse/db.ts'
import { envOf, openTestWarehouse, putSocial } from './warehouse.ts'

const lineage = { extracted_at: '2025-06-01T06:00:00Z', run_id: null }
const Q = { from: '2025-05-01', to: '2025-05-03' }

let wh: Warehouse
beforeEach(async () => {
  wh = await openTestWarehouse()
})
afterEach(async () => wh.close())

describe('TikTok', () => {
  beforeEach(async () => {
    const zone = { platform: 'tiktok', account: 'zone.a0', artist: 'ZONE A0' }
    const pig = { platform: 'tiktok', account: 'pig1987', artist: 'PIG1987' }
    await putSocial(wh.db, [
      { ...zone, date: '2025-04-30', views: 999, followers: 490 },
      {
        ...zone,
        date: '2025-05-01',
        views: 1000,
        likes: 50,
        comments: 5,
        shares: 5,
        followers: 500,
        profile_views: 20,
      },
      {
        ...zone,
        date: '2025-05-02',
        views: 3000,
        likes: 100,
        comments: 10,
        shares: 30,
        followers: 520,
        profile_views: 40,
      },
      { ...zone, date: '2025-05-03', followers: 530 }, // views not reported that day
      { ...pig, date: '2025-05-01', views: 0, likes: 0, comments: 0, shares: 0, followers: 100 },
      { ...pig, date: '2025-05-02', views: 0, likes: 0, comments: 0, shares: 0, followers: 101 },
    ])
  })

  it('tiktok-views: per account, a daily series summed over accounts, and the change', async () => {
    const r = await tiktokViews.evaluate(envOf(wh), Q)
    expect(r.value).toBe(4000)
    expect(r.breakdown).toEqual([
      { key: 'pig1987', artist: 'PIG1987', value: 0, days: 2 },
      { key: 'zone.a0', artist: 'ZONE A0', value: 4000, days: 2 },
    ])
    expect(r.series).toEqual([
      { date: '2025-05-01', value: 1000, 'zone.a0': 1000, pig1987: 0 },
      { date: '2025-05-02', value: 3000, 'zone.a0': 3000, pig1987: 0 },
    ])
    expect(r.previous).toBe(999)
    expect(r.change).toBeCloseTo(3001 / 999, 12)
  })

  it('tiktok-engagement: a ratio of sums, null for an account without views', async () => {
    const r = await tiktokEngagement.evaluate(envOf(wh), Q)
    expect(r.value).toBe(5) // (60 + 140) / 4000
    expect(r.breakdown!.map((b) => [b.key, b.value])).toEqual([
      ['pig1987', null],
      ['zone.a0', 5],
    ])
    expect(r.series!.map((p) => p.value)).toEqual([6, (140 / 3000) * 100, null])
  })

  it('tiktok-followers: the latest level, never a sum of days; growth from the value before the window', async () => {
    const r = await tiktokFollowers.evaluate(envOf(wh), Q)
    expect(r.value).toBe(631) // 530 + 101, not 500 + 520 + 530 + …
    expect(r.breakdown).toEqual([
      { key: 'pig1987', artist: 'PIG1987', value: 101, asOf: '2025-05-02', gained: 1, profileViews: null },
      { key: 'zone.a0', artist: 'ZONE A0', value: 530, asOf: '2025-05-03', gained: 40, profileViews: 60 },
    ])
    expect(r.gained).toBe(41)
    // 05-03: only zone.a0 reported, so no total that day (pig1987 would read as lost followers).
    expect(r.series!.map((p) => p.value)).toEqual([600, 621, null])
  })
})

it('instagram-reach: reach summed per day, followers as the newest level', async () => {
  const ig = { platform: 'instagram', account: 'bedrot' }
  await putSocial(wh.db, [
    { ...ig, date: '2025-05-01', reach: 100, views: 300, followers: 50 },
    { ...ig, date: '2025-05-02', reach: 200, views: 400, followers: 55 },
  ])
  const r = await instagramReach.evaluate(envOf(wh), Q)
  expect(r).toMatchObject({ value: 300, views: 700, followers: 55 })
  expect(r.series).toEqual([
    { date: '2025-05-01', value: 100, views: 300, followers: 50 },
    { date: '2025-05-02', value: 200, views: 400, followers: 55 },
  ])
})

it('youtube-views: views, watch minutes and subscribers gained − lost', async () => {
  await wh.db
    .insertInto('youtube_daily')
    .values([
      {
        date: '2025-05-01',
        channel: 'UC1',
        views: 10,
        watch_minutes: 30,
        subscribers_gained: 3,
        subscribers_lost: 1,
        ...lineage,
      },
      {
        date: '2025-05-02',
        channel: 'UC1',
        views: 20,
        watch_minutes: 50,
        subscribers_gained: 0,
        subscribers_lost: 2,
        ...lineage,
      },
    ])
    .execute()
  const r = await youtubeViews.evaluate(envOf(wh), Q)
  expect(r).toMatchObject({ value: 30, watchMinutes: 80, netSubscribers: 0 })
  expect(r.series!.map((p) => [p.date, p.value, p.netSubscribers])).toEqual([
    ['2025-05-01', 10, 2],
    ['2025-05-02', 20, -2],
  ])
})

it('linktree-clicks: CTR from sums over days that report both; top links', async () => {
  await wh.db
    .insertInto('link_daily')
    .values([
      {
        date: '2025-05-01',
        account: 'bedrot',
        views: 100,
        unique_views: 80,
        clicks: 10,
        unique_clicks: 8,
        ...lineage,
      },
      {
        date: '2025-05-02',
        account: 'bedrot',
        views: 0,
        unique_views: 0,
        clicks: 0,
        unique_clicks: 0,
        ...lineage,
      },
      {
        date: '2025-05-03',
        account: 'bedrot',
        views: null,
        unique_views: null,
        clicks: 5,
        unique_clicks: null,
        ...lineage,
      },
    ])
    .execute()
  await wh.db
    .insertInto('link_clicks')
    .values([
      { date: '2025-05-01', link_id: 'l1', title: 'Spotify', clicks: 6, ...lineage },
      { date: '2025-05-03', link_id: 'l1', title: 'Spotify', clicks: 4, ...lineage },
      { date: '2025-05-01', link_id: 'l2', title: 'Apple Music', clicks: 4, ...lineage },
    ])
    .execute()
  const r = await linktreeClicks.evaluate(envOf(wh), Q)
  expect(r).toMatchObject({ value: 15, views: 100, ctr: 0.1 })
  expect(r.series!.map((p) => p.ctr)).toEqual([0.1, null, null])
  expect(r.breakdown).toEqual([
    { key: 'l1', title: 'Spotify', value: 10 },
    { key: 'l2', title: 'Apple Music', value: 4 },
  ])
})

it('email-audience: newest members, open rate weighted by sends', async () => {
  await wh.db
    .insertInto('email_daily')
    .values([
      { date: '2025-04-20', list_id: 'L', members: 90, subscribes: 3, unsubscribes: 0, ...lineage },
      { date: '2025-05-01', list_id: 'L', members: 100, subscribes: 5, unsubscribes: 1, ...lineage },
      { date: '2025-05-03', list_id: 'L', members: 104, subscribes: 4, unsubscribes: 0, ...lineage },
    ])
    .execute()
  await wh.db
    .insertInto('email_campaigns')
    .values([
      {
        campaign_id: 'c1',
        list_id: 'L',
        send_time: '2025-05-02T10:00:00Z',
        emails_sent: 100,
        opens: 55,
        unique_opens: 40,
        clicks: 12,
        unique_clicks: 10,
        ...lineage,
      },
      {
        campaign_id: 'c2',
        list_id: 'L',
        send_time: '2025-05-03T10:00:00Z',
        emails_sent: 300,
        opens: 70,
        unique_opens: 60,
        clicks: 9,
        unique_clicks: 9,
        ...lineage,
      },
      {
        campaign_id: 'c0',
        list_id: 'L',
        send_time: '2025-04-02T10:00:00Z',
        emails_sent: 50,
        opens: 50,
        unique_opens: 50,
        clicks: 0,
        unique_clicks: 0,
        ...lineage,
      },
    ])
    .execute()
  const r = await emailAudience.evaluate(envOf(wh), Q)
  // (40 + 60) / (100 + 300) = 0.25; a mean of the two rates would say 0.3.
  expect(r).toMatchObject({
    value: 104,
    subscribes: 9,
    unsubscribes: 1,
    campaigns: 2,
    sent: 400,
    opens: 100,
    openRate: 0.25,
    clicks: 19,
  })
  expect(r.clickRate).toBeCloseTo(19 / 400, 12)
})

describe('a day still going', () => {
  it('is left out of a window of N days: it ends yesterday, whatever the platforms already report for today', async () => {
    const zone = { platform: 'tiktok', account: 'zone.a0', artist: 'ZONE A0' }
    await putSocial(wh.db, [
      { ...zone, date: '2025-05-29', views: 1000 },
      { ...zone, date: '2025-05-30', views: 2000 },
      // Today, a few hours in: Meta, TikTok and the rest already report it, partially.
      { ...zone, date: '2025-05-31', views: 40 },
    ])
    const r = await tiktokViews.evaluate(envOf(wh, { today: '2025-05-31' }), { days: 2 })
    expect(r.window).toEqual({ from: '2025-05-29', to: '2025-05-30' })
    expect(r.value).toBe(3000)
    // Asked for by dates, today is there.
    expect((await tiktokViews.evaluate(envOf(wh, { today: '2025-05-31' }), { from: '2025-05-30', to: '2025-05-31' })).value).toBe(2040)
  })

  it('still counts a level read today: followers now are not a partial day', async () => {
    const zone = { platform: 'tiktok', account: 'zone.a0', artist: 'ZONE A0' }
    await putSocial(wh.db, [
      { ...zone, date: '2025-05-30', views: 2000, followers: 500 },
      { ...zone, date: '2025-05-31', followers: 512 },
    ])
    const r = await tiktokFollowers.evaluate(envOf(wh, { today: '2025-05-31' }), { days: 7 })
    expect(r.window.to).toBe('2025-05-31')
    expect(r.value).toBe(512)
  })
})
