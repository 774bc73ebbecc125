/**
 * The page against the real app over a known warehouse (DistroKid pulled from its fake): the numbers
 * on the cards are the KPI responses' numbers, the range picker changes them, and "run now" runs.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS } from '../../lib/browser/browser.ts'
import { createFakeDistroKid, serveFake } from '../../functions/distrokid/fake.ts'
import { dailySeries, ledgerLines, ledgerTsv } from '../../functions/distrokid/fake-data.ts'
import { storeDistroKidSession } from '../distrokid/session.ts'
import { makeSystem, ROOT } from '../helpers.ts'
import { live } from './page-checks.ts'

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const ONE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })
const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
/** What a card must show for a KPI response, worked out here independently of the page's code. */
function expected(k: { value: number | null; unit: string }): string {
  if (k.value === null) return 'not reported yet'
  if (k.unit === 'usd') return USD.format(k.value)
  return Number.isInteger(k.value) ? INT.format(k.value) : ONE.format(k.value)
}

describe('the KPI page on the real app', () => {
  let sys: Awaited<ReturnType<typeof makeSystem>>
  let fake: { url: string; close(): Promise<void> }
  let app: { url: string; close(): Promise<void> }
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    const dk = createFakeDistroKid({
      spotifyDaily: dailySeries('2025-01-01', '2025-05-31', 5),
      appleDaily: dailySeries('2025-01-01', '2025-05-30', 6, 150),
      ledgerTsv: ledgerTsv([...ledgerLines(400, 8, { lastMonth: '2025-04', maxEarningsE8: 5e7 })]),
    })
    fake = await serveFake(dk.app)
    sys = await makeSystem({ DISTROKID_BASE_URL: fake.url })
    await storeDistroKidSession(sys.config.sessionsDir, fake.url, dk.issueSession())
    const first = await sys.runner.run({ source: 'distrokid', trigger: 'cli' })
    expect(first.status, first.message).toBe('ok')
    app = await serveFake(sys.app)
    browser = await chromium.launch({ executablePath: sys.config.chromiumPath, args: CHROMIUM_ARGS })
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await fake?.close()
    await sys?.close()
  })

  const kpi = async (name: string, days: string) => (await fetch(`${app.url}/kpi/${name}?days=${days}`)).json()
  const card = (name: string) => page.locator(`[data-kpi="${name}"] .value`)

  it('shows the KPI responses on the cards, switches the range, and runs a source on "run now"', async () => {
    await page.goto(app.url + '/')
    await live(page)
    for (const name of ['streams-total', 'streams-daily-average', 'revenue-total', 'spotify-listeners', 'tiktok-views']) {
      await expect.poll(() => card(name).textContent(), { timeout: 15_000 }).toBe(expected(await kpi(name, '28')))
    }
    // Real numbers, not placeholders: the streams card is the fake's own sum for the 28 days.
    const total = await kpi('streams-total', '28')
    expect(total.value).toBeGreaterThan(0)
    expect(total.window).toEqual({ from: '2025-05-04', to: '2025-05-31' })

    await page.click('[data-range="all"]')
    for (const name of ['streams-total', 'revenue-total']) {
      await expect.poll(() => card(name).textContent(), { timeout: 15_000 }).toBe(expected(await kpi(name, 'all')))
    }
    expect(await card('streams-total').textContent()).not.toBe(expected(total))

    const runsBefore = (await (await fetch(`${app.url}/runs?source=distrokid`)).json()).runs.length
    await page.click('[data-run="distrokid"]')
    const runs = async () => (await (await fetch(`${app.url}/runs?source=distrokid`)).json()).runs
    await expect.poll(async () => (await runs()).length, { timeout: 30_000 }).toBe(runsBefore + 1)
    await expect.poll(async () => (await runs())[0].status, { timeout: 30_000 }).toBe('ok')
    expect((await runs())[0].trigger).toBe('http')

    mkdirSync(path.join(ROOT, 'test-output'), { recursive: true })
    await page.screenshot({ path: path.join(ROOT, 'test-output/page-real-app.png'), fullPage: true })
  })
})
