/**
 * @module The fake Linktree's numbers, shaped exactly like the captured answers (fixtures/real/README.md
 * §6): `__typename` on every object, integer link ids, a CTR that is a float or the int 0, clicks that
 * may exceed views, `socials[].views.total` carrying the lifetime views on every row.
 */
import { addDays } from '../../lib/kpi/window.ts'

export interface FakeLink {
  id: number
  title: string
  active: boolean
  weight: number
}

function hash(text: string): number {
  let h = 2166136261
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0
  // Avalanche (murmur3's finaliser): keys differing in their last character must not give near-equal values.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}
const unit = (key: string) => hash(key) / 2 ** 32

export interface FakeDay {
  date: string
  totalViews: number
  uniqueViews: number
  totalClicks: number
  uniqueClicks: number
}

export function fakeDay(date: string, scale: number, revision = 0): FakeDay {
  const views = Math.floor(scale * (0.3 + 1.4 * unit(`v|${date}|${revision}`)))
  const clicks = Math.floor(views * (0.2 + 0.9 * unit(`c|${date}|${revision}`)))
  return { date, totalViews: views, uniqueViews: Math.ceil(views * 0.7), totalClicks: clicks, uniqueClicks: Math.ceil(clicks * 0.45) }
}

const ctr = (clicks: number, views: number) => (views === 0 ? 0 : Math.round((clicks / views) * 10000) / 10000)

export function datesBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d)
  return out
}

export function overviewAnswer(days: FakeDay[]) {
  const views = days.reduce((s, d) => s + d.totalViews, 0)
  const clicks = days.reduce((s, d) => s + d.totalClicks, 0)
  return {
    data: {
      getAccountAnalytics: {
        overview: {
          totalViews: views,
          totalClicks: clicks,
          clickThroughRate: ctr(clicks, views),
          timeToClick: 0,
          clickThroughBenchmark: 80.6429,
          timeseries: days.map((d) => ({ ...d, clickThroughRate: ctr(d.totalClicks, d.totalViews), __typename: 'AccountActivity' })),
          __typename: 'AccountOverview',
        },
        __typename: 'AccountAnalytics',
      },
    },
  }
}

/** Link and social clicks over the window: the days' clicks shared out, so Σ links + Σ socials = Σ clicks. */
export function linksAnswer(days: FakeDay[], links: FakeLink[], socials: string[], lifetimeViews: number) {
  const weights = [...links.map((l) => l.weight), ...socials.map(() => 1)]
  const total = weights.reduce((s, w) => s + w, 0)
  const perDay = days.map((d) => {
    const shares = weights.map((w) => Math.floor((d.totalClicks * w) / total))
    shares[0] += d.totalClicks - shares.reduce((s, x) => s + x, 0)
    return shares
  })
  const sumOf = (i: number) => perDay.reduce((s, x) => s + x[i], 0)
  const social = (name: string, date: string | null, clicks: number) => ({
    date,
    name,
    views: { total: lifetimeViews, __typename: 'AccountViews' },
    clicks: { total: clicks, __typename: 'AccountClicks' },
    __typename: 'AccountSocial',
  })
  return {
    data: {
      getAccountAnalytics: {
        links: links.map((l, i) => ({ id: l.id, clicks: { total: sumOf(i), __typename: 'AccountClicks' }, breakdown: null, __typename: 'AccountLink' })),
        socials: {
          socials: socials.map((s, j) => social(s, null, sumOf(links.length + j))),
          timeseries: days.flatMap((d, k) => socials.map((s, j) => social(s, d.date, perDay[k][links.length + j]))),
          __typename: 'AccountSocials',
        },
        products: [],
        __typename: 'AccountAnalytics',
      },
    },
  }
}

export function titlesAnswer(links: FakeLink[], ids: number[]) {
  const data: Record<string, unknown> = {}
  for (const id of ids) {
    const l = links.find((x) => x.id === id)
    data[`link${id}`] = l ? { id, title: l.title, active: l.active, modifiers: { thumbnailUrl: null, __typename: 'LinkModifiers' }, __typename: 'Link' } : null
  }
  return { data }
}

const REFERRERS = [
  ['Tiktok', 0.55],
  ['Instagram', 0.25],
  ['Direct', 0.1],
  ['Facebook', 0.05],
  ['Youtube', 0.05],
] as const
const COUNTRIES = [
  ['United States', 'US', 0.5],
  ['Canada', 'CA', 0.15],
  ['Germany', 'DE', 0.15],
  ['Japan', 'JP', 0.2],
] as const

export function breakdownsAnswer(days: FakeDay[], lifetime: { views: number; clicks: number; socials: number }) {
  const views = days.reduce((s, d) => s + d.totalViews, 0)
  const clicks = days.reduce((s, d) => s + d.totalClicks, 0)
  const split = <T extends readonly unknown[]>(rows: readonly T[], share: (r: T) => number) => {
    const v = rows.map((r) => Math.floor(views * share(r)))
    const c = rows.map((r) => Math.floor(clicks * share(r)))
    v[0] += views - v.reduce((s, x) => s + x, 0)
    c[0] += clicks - c.reduce((s, x) => s + x, 0)
    return rows.map((r, i) => ({
      r,
      views: { total: v[i], __typename: 'AccountViews' },
      clicks: { total: c[i], __typename: 'AccountClicks' },
      clickThroughRate: ctr(c[i], v[i]),
    }))
  }
  return {
    data: {
      getAccountAnalytics: {
        lifetime: {
          views: { total: lifetime.views, __typename: 'AccountLifetimeViews' },
          clicks: { total: lifetime.clicks, profile: lifetime.clicks - lifetime.socials, socials: lifetime.socials, __typename: 'AccountLifetimeClicks' },
          subscribers: { total: 0, __typename: 'AccountLifetimeSubscribers' },
          clickThroughRate: ctr(lifetime.clicks, lifetime.views),
          payments: [],
          __typename: 'AccountLifetime',
        },
        locations: {
          cities: split(COUNTRIES, (r) => r[2]).map(({ r, ...m }) => ({
            name: null,
            countryCode: r[1],
            coordinates: ['0', '0'],
            ...m,
            __typename: 'AccountCity',
          })),
          countries: split(COUNTRIES, (r) => r[2]).map(({ r, ...m }) => ({ name: r[0], countryCode: r[1], ...m, __typename: 'AccountCountry' })),
          __typename: 'AccountLocations',
        },
        referrers: {
          referrers: split(REFERRERS, (r) => r[1]).map(({ r, ...m }) => ({ name: r[0], ...m, __typename: 'AccountReferrer' })),
          __typename: 'AccountReferrers',
        },
        devices: {
          devices: split(
            [
              ['mobile', 0.85],
              ['desktop', 0.15],
            ] as const,
            (r) => r[1],
          ).map(({ r, ...m }) => ({ name: r[0], ...m, __typename: 'AccountDevice' })),
          __typename: 'AccountDevices',
        },
        __typename: 'AccountAnalytics',
      },
    },
  }
}
