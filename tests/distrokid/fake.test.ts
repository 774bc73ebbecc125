import { describe, expect, it } from 'vitest'
import { createFakeDistroKid, serveFake } from '../../functions/distrokid/fake.ts'
import type { DailyPoint, FakeDistroKidOptions } from '../../functions/distrokid/fake.ts'

const DAY = 86_400_000

/** Contiguous daily series with a deterministic, uneven shape. */
function series(from: string, days: number, base: number): DailyPoint[] {
  const start = Date.parse(`${from}T00:00:00Z`)
  return Array.from({ length: days }, (_, i) => ({
    date: new Date(start + i * DAY).toISOString().slice(0, 10),
    streams: base + ((i * 37) % 101) + (i % 7) * 3,
  }))
}

// Same windows as the real 20250527 extract: Spotify from the first release, Apple from 2024-09-06.
const spotifyDaily = series('2024-08-23', 276, 1000)
const appleDaily = series('2024-09-06', 263, 20)
const ledgerTsv = 'Reporting Date\tSale Month\tStore\tQuantity\tEarnings (USD)\r' + '2025-03-29\t2025-01\tSpotify\t3\t-0.00000000\r'
const sum = (ps: { value?: number; streams?: number }[]) => ps.reduce((a, p) => a + (p.value ?? p.streams ?? 0), 0)
const base: FakeDistroKidOptions = { spotifyDaily, appleDaily, ledgerTsv }
const login = { email: 'artist@example.com', password: 's3cret' }

const form = (fields: Record<string, string>, cookie?: string) => ({
  method: 'POST',
  headers: {
    'Content-Type': 'application/x-www-form-urlencoded',
    ...(cookie ? { Cookie: cookie } : {}),
  },
  body: new URLSearchParams(fields).toString(),
})
const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))
const pair = (setCookie: string | undefined) => (setCookie ?? '').split(';')[0]

function providers(html: string) {
  const out: Record<string, { category: string; 'column-1': number }[]> = {}
  for (const id of ['trendWeekly', 'trendMonthly', 'trend60day', 'trend365day']) {
    const re = new RegExp(`"id"\\s*:\\s*"${id}".+?"dataProvider"\\s*:\\s*\\[([^\\]]+)\\]`, 's')
    const m = html.match(re)
    if (!m) throw new Error(`no ${id}`)
    out[id] = JSON.parse(`[${m[1]}]`)
  }
  return out
}
const col = (ps: { 'column-1': number }[]) => ps.reduce((a, p) => a + p['column-1'], 0)

describe('fake DistroKid', () => {
  it('redirects logged-out, unknown and expired sessions to the sign-in page', async () => {
    const dk = createFakeDistroKid(base)
    for (const path of ['/stats/?type=all&data=streams', '/bank/', '/bank/details/', '/dashboard', '/bank']) {
      const res = await dk.app.request(path)
      expect(res.status).toBe(302)
      expect(res.headers.get('location')).toBe(`/signin?redirect=${encodeURIComponent(path)}`)
    }
    const unknown = await dk.app.request('/dashboard', { headers: { Cookie: 'dk_session=nope' } })
    expect(unknown.status).toBe(302)

    const id = dk.issueSession()
    const ok = await dk.app.request('/dashboard', { headers: { Cookie: `dk_session=${id}` } })
    expect(ok.status).toBe(200)
    const html = await ok.text()
    expect(html).toContain('My Music')
    expect(html).toMatch(/href="\/stats\//)

    dk.expireSession(id)
    const expired = await dk.app.request('/stats/?data=streams', {
      headers: { Cookie: `dk_session=${id}` },
    })
    expect(expired.status).toBe(302)
    expect(expired.headers.get('location')).toMatch(/^\/signin\?redirect=/)
    expect(dk.requests).toContain('GET /stats/?type=all&data=streams')
  })

  it('serves a sign-in page without chart data on /signin and /login', async () => {
    const dk = createFakeDistroKid(base)
    for (const path of ['/signin', '/login']) {
      const res = await dk.app.request(path)
      expect(res.status).toBe(200)
      const html = await res.text()
      expect(html).toContain('Sign in to your DistroKid account')
      expect(html).toMatch(/<form[^>]+method="post"[^>]+action="\/signin"/)
      expect(html).toContain('type="email"')
      expect(html).toContain('type="password"')
      expect(html).toContain('<button type="submit"')
      expect(html).not.toMatch(/chartData|dataProvider/)
    }
  })

  it('logs in with the form and sets an HttpOnly session cookie', async () => {
    const dk = createFakeDistroKid({ ...base, account: login, sessionMaxAgeDays: 30 })
    const wrong = await dk.app.request('/signin', form({ email: login.email, password: 'x' }))
    expect(wrong.status).toBe(200)
    expect(cookieOf(wrong, 'dk_session')).toBeUndefined()
    expect(await wrong.text()).toContain('incorrect')

    const res = await dk.app.request('/signin', form(login))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/dashboard')
    const set = cookieOf(res, 'dk_session')
    expect(set).toMatch(/Max-Age=2592000/)
    expect(set).toMatch(/HttpOnly/)
    expect(set).toMatch(/Path=\//)
    const page = await dk.app.request('/stats/?type=all&data=streams', {
      headers: { Cookie: pair(set) },
    })
    expect(page.status).toBe(200)
    // Already signed in: the login page sends the browser on, as the real site does.
    const again = await dk.app.request('/login', { headers: { Cookie: pair(set) } })
    expect(again.headers.get('location')).toBe('/dashboard')
  })

  it('asks for a 2FA code when the account has one', async () => {
    const dk = createFakeDistroKid({ ...base, account: { ...login, otp: '123456' } })
    const res = await dk.app.request('/signin', form(login))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/signin/2fa')
    expect(cookieOf(res, 'dk_session')).toBeUndefined()
    const pending = pair(cookieOf(res, 'dk_2fa'))

    expect((await dk.app.request('/signin/2fa')).headers.get('location')).toBe('/signin')
    const page = await dk.app.request('/signin/2fa', { headers: { Cookie: pending } })
    expect(await page.text()).toMatch(/<input[^>]+name="code"/)

    const wrong = await dk.app.request('/signin/2fa', form({ code: '000000' }, pending))
    expect(wrong.status).toBe(200)
    expect(await wrong.text()).toContain('incorrect')
    expect(cookieOf(wrong, 'dk_session')).toBeUndefined()

    const ok = await dk.app.request('/signin/2fa', form({ code: '123456' }, pending))
    expect(ok.status).toBe(302)
    expect(ok.headers.get('location')).toBe('/dashboard')
    const session = pair(cookieOf(ok, 'dk_session'))
    expect((await dk.app.request('/dashboard', { headers: { Cookie: session } })).status).toBe(200)
    // The 2FA token is single-use.
    const reuse = await dk.app.request('/signin/2fa', form({ code: '123456' }, pending))
    expect(reuse.headers.get('location')).toBe('/signin')
  })

  it('serves the streams page with the four amCharts configs and the header totals', async () => {
    const dk = createFakeDistroKid(base)
    const cookie = `dk_session=${dk.issueSession()}`
    for (const path of ['/stats/?type=all&data=streams', '/stats/?data=streams']) {
      const html = await (await dk.app.request(path, { headers: { Cookie: cookie } })).text()
      expect(html).not.toContain('\r')
      const p = providers(html)
      expect(p.trend365day.map((x) => ({ date: x.category, streams: x['column-1'] }))).toEqual(spotifyDaily)
      const total = sum(spotifyDaily)
      expect(col(p.trendWeekly)).toBe(total)
      expect(col(p.trendMonthly)).toBe(total)
      expect(p.trend60day).toHaveLength(59)
      expect(p.trendWeekly[0].category).toBe('2024-08-23')
      // After the partial first week every bucket starts on a Monday.
      expect(p.trendWeekly.slice(1).every((w) => new Date(w.category).getUTCDay() === 1)).toBe(true)
      expect(p.trendMonthly.map((m) => m.category).slice(0, 2)).toEqual(['2024-08-01', '2024-09-01'])
      const cell = (label: string) => html.match(new RegExp(`${label}\\s*</td>\\s*<td[^>]*>\\s*([\\d,]+)`))?.[1]
      expect(cell('Last 365 days')).toBe(total.toLocaleString('en-US'))
      expect(cell('Last 60 days')).toBe(col(p.trend60day).toLocaleString('en-US'))
      expect(cell('Last 7 days')).toBe(sum(spotifyDaily.slice(-5)).toLocaleString('en-US'))
      expect(html.length).toBeGreaterThan(5000)
      expect(html).toMatch(/AmCharts\.makeChart\("trend365day",\n\{/)
    }
  })

  it('serves CRLF stats pages when asked, and the data still parses', async () => {
    const dk = createFakeDistroKid({ ...base, crlf: true })
    const cookie = `dk_session=${dk.issueSession()}`
    const html = await (await dk.app.request('/stats/?type=all&data=streams', { headers: { Cookie: cookie } })).text()
    expect(html).toContain('\r\n')
    expect(html).not.toMatch(/[^\r]\n/)
    expect(providers(html).trend365day).toHaveLength(spotifyDaily.length)
    const apple = await (await dk.app.request('/stats/?type=all&data=applemusic', { headers: { Cookie: cookie } })).text()
    expect(apple).toMatch(/var chartData = \{.*\};\r\n/)
  })

  it('serves the Apple Music page as one var chartData line with consistent totals', async () => {
    const dk = createFakeDistroKid(base)
    const cookie = `dk_session=${dk.issueSession()}`
    const html = await (await dk.app.request('/stats/?type=all&data=applemusic', { headers: { Cookie: cookie } })).text()
    const m = html.match(/var\s+chartData\s*=\s*([\s\S]+?);\s*\n/)
    expect(m).not.toBeNull()
    const data = JSON.parse(m![1])
    expect(Object.keys(data)).toEqual([
      'byMonth',
      'tracks1year',
      'playlists1year',
      'last365days',
      'devices1year',
      'gender1year',
      'age1year',
      'listening1year',
      'sources1year',
      'byWeek',
      'offline1year',
      'types1year',
      'country1year',
      'albums1year',
    ])
    for (const block of Object.values(data) as {
      total: number
      isEmpty: number
      dataProvider: unknown[]
    }[]) {
      expect(typeof block.total).toBe('number')
      expect(Array.isArray(block.dataProvider)).toBe(true)
    }
    const total = sum(appleDaily)
    const { last365days, byMonth, byWeek, albums1year, playlists1year } = data
    expect(
      last365days.dataProvider.map((p: { field: string; value: number }) => ({
        date: p.field,
        streams: p.value,
      })),
    ).toEqual(appleDaily)
    for (const b of [last365days, byMonth, byWeek, albums1year]) expect(b.total).toBe(total)
    expect(sum(byMonth.dataProvider)).toBe(total)
    expect(sum(byWeek.dataProvider)).toBe(total)
    expect(playlists1year).toMatchObject({ isEmpty: 1, total: 0, dataProvider: [] })
    expect(byMonth.dataProvider[0].field).toBe('09-24')
    expect(byWeek.dataProvider[0]).toEqual({ field: '36/24', value: sum(appleDaily.slice(0, 3)) })
    // The year-end week keeps the old year's label, as the real page does: ... 52/24, 53/24, 02/25.
    const labels = byWeek.dataProvider.map((p: { field: string }) => p.field)
    expect(labels.slice(labels.indexOf('52/24'), labels.indexOf('52/24') + 3)).toEqual(['52/24', '53/24', '02/25'])
    expect(html).toContain(`id="last365">${total.toLocaleString('en-US')}<`)
    expect(html).toContain(`id="last7">${sum(appleDaily.slice(-6)).toLocaleString('en-US')}<`)
  })

  it('walks bank -> details -> TSV download', async () => {
    const dk = createFakeDistroKid(base)
    const cookie = `dk_session=${dk.issueSession()}`
    const bank = await (await dk.app.request('/bank/', { headers: { Cookie: cookie } })).text()
    expect(bank).toContain('<a href="/bank/details/">')
    const details = await (await dk.app.request('/bank/details/', { headers: { Cookie: cookie } })).text()
    expect(details).toMatch(/<div[^>]+onclick="downloadBank\(\)"/)
    expect(details).toContain('/bank/details/download')
    const res = await dk.app.request('/bank/details/download', { headers: { Cookie: cookie } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/tab-separated-values')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="dk_bank_details_\d{8}_\d{6}\.tsv"$/)
    expect(await res.text()).toBe(ledgerTsv)
    expect((await dk.app.request('/bank/details/download')).status).toBe(302)
  })

  it('answers unknown paths with a 404 page', async () => {
    const dk = createFakeDistroKid(base)
    const res = await dk.app.request('/nope')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
  })

  it('works over real HTTP through serveFake', async () => {
    const dk = createFakeDistroKid({ ...base, account: login })
    const server = await serveFake(dk.app)
    try {
      const out = await fetch(`${server.url}/stats/?type=all&data=streams`, { redirect: 'manual' })
      expect(out.status).toBe(302)
      const res = await fetch(`${server.url}/signin`, { ...form(login), redirect: 'manual' })
      expect(res.status).toBe(302)
      const cookie = pair(cookieOf(res, 'dk_session'))
      const page = await fetch(`${server.url}/stats/?type=all&data=streams`, {
        headers: { Cookie: cookie },
      })
      expect(page.status).toBe(200)
      expect(providers(await page.text()).trend365day).toHaveLength(spotifyDaily.length)
    } finally {
      await server.close()
    }
  })
})
