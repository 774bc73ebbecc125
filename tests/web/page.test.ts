/**
 * The KPI page in system Chromium against stubbed JSON routes: numbers shown must be the stub values,
 * formatted; null KPIs say "not reported yet"; range, run-now, polling with ETags and the hidden-tab
 * pause are checked through the requests the server saw. Screenshots land in test-output/.
 */
import { CHROMIUM_ARGS } from '../../lib/browser/browser.ts'
import { mkdirSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { live } from './page-checks.ts'
import { serveStub, stubApp, type Seen } from './stubs.ts'

const OUT = 'test-output'
let browser: Browser
const servers: { close(): Promise<void> }[] = []
let url: string
let seen: Seen[]
let page: Page

const value = (name: string) => page.locator(`[data-kpi="${name}"] .value`).innerText()
/** Every card, panel and status line has had its first answer: no skeleton and no "Loading…" left. */
const settled = async (p: Page) => {
  await live(p)
  await p.waitForFunction(() => !document.querySelector('[aria-busy="true"]') && !document.body.innerText.includes('Loading…'), null, { timeout: 30_000 })
}
const kpiRequests = (from: number) => seen.slice(from).filter((r) => r.path.startsWith('/kpi/'))

async function start(app: Parameters<typeof serveStub>[0]): Promise<string> {
  const server = await serveStub(app)
  servers.push(server)
  return server.url
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true })
  const stub = stubApp({ pollSeconds: 1 })
  seen = stub.seen
  url = await start(stub.app)
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  const t0 = Date.now()
  await page.goto(url + '/')
  await page.locator('[data-kpi="streams-total"] .value').waitFor()
  await settled(page)
  console.log(`first render with data, first page of a new browser: ${Date.now() - t0} ms`)
  expect(errors).toEqual([])
}, 60_000)

afterAll(async () => {
  await browser?.close()
  for (const server of servers) await server.close()
})

describe('KPI page', { timeout: 120_000 }, () => {
  it('shows the stub values, formatted, and never invents a number', async () => {
    expect(await value('streams-total')).toBe('685,757')
    expect(await value('revenue-total')).toBe('$944.05')
    expect(await value('streams-daily-average')).toBe('24,491.3')
    expect(await value('streams-growth')).toBe('12.4%')
    expect(await value('spotify-followers')).toBe('8,123')
    expect(await value('roas')).toBe('2.31×')
    expect(await value('ad-spend')).toBe('$123.45')
    // The change is computed from the `previous` the server sent: (8123 - 8011) / 8011.
    expect(await page.locator('[data-kpi="spotify-followers"] [data-change]').innerText()).toContain('+1.4% (+112)')
    expect(await page.locator('[data-kpi="revenue-total"] [data-change]').innerText()).toContain('-6.5% (-$66.15)')

    expect(await value('spotify-listeners')).toBe('not reported yet')
    expect(await value('tiktok-views')).toBe('not reported yet')
    await expect.poll(() => page.locator('[data-kpi="tiktok-views"]').getAttribute('data-freshness')).toBe('empty')
    expect(await page.locator('[data-kpi="tiktok-views"] [data-empty] p').first().innerText()).toBe('no data from tiktok yet')
    // Listed in /kpi but answering 404: the card is hidden, not shown as zero.
    await expect.poll(() => page.locator('[data-kpi="streams-day-over-day"]').count()).toBe(0)

    const months = page.locator('[data-table="revenue-expected-vs-actual-months"]')
    const sept = await months.locator('tr[data-key="2026-09"]').innerText()
    expect(sept).toContain('$944.05')
    expect(sept.toUpperCase()).toContain('DUE')
    expect(await months.locator('tr[data-key="2026-10"]').innerText()).toContain('—')
    expect(await page.locator('[data-table="streams-by-platform"]').innerText()).toContain('498,321')
    // The total and one line per platform the breakdown names.
    expect(await page.locator('[data-chart="streams-by-platform"] g[data-key]').count()).toBe(4)

    const text = await page.locator('body').innerText()
    expect(text).not.toMatch(/NaN|undefined|Infinity|\bnull\b/)
    await page.screenshot({ path: `${OUT}/page.png`, fullPage: true })
  })

  it('lists the sessions to log in again with the exact command', async () => {
    const list = page.locator('[data-relogin]')
    expect(await list.locator('[data-session="distrokid"] code').innerText()).toBe('npm run auth -- distrokid')
    expect(await list.locator('[data-session="tiktok"] code').innerText()).toBe('npm run auth -- tiktok --account zone.a0')
    expect(await list.locator('[data-session="spotify"]').count()).toBe(0)
    expect(await page.locator('[data-source="toolost"]').innerText()).toContain('failed')
    expect(await page.locator('[data-panel="runs"] li').count()).toBe(3)
  })

  it('asks for the picked range', async () => {
    const from = seen.length
    await page.click('[data-range="7"]')
    await expect.poll(() => kpiRequests(from).some((r) => r.path === '/kpi/streams-total' && r.query.days === '7')).toBe(true)
    expect(await page.locator('[data-range="7"]').getAttribute('aria-pressed')).toBe('true')
    // Goals and alerts keep their own periods.
    expect(
      kpiRequests(from)
        .filter((r) => r.path === '/kpi/goals')
        .every((r) => r.query.days === undefined),
    ).toBe(true)
  })

  it('runs a source now, shows progress, then refreshes', async () => {
    await page.click('[data-run="distrokid"]')
    await expect.poll(() => page.locator('[data-run="distrokid"]').isDisabled()).toBe(true)
    await expect.poll(() => seen.some((r) => r.method === 'POST' && r.path === '/run/distrokid')).toBe(true)
    const posted = seen.findIndex((r) => r.method === 'POST' && r.path === '/run/distrokid')
    await expect.poll(() => page.locator('[data-run-result="distrokid"]').innerText()).toContain('loaded 28 rows')
    expect(await page.locator('[data-run="distrokid"]').isDisabled()).toBe(false)
    await expect.poll(() => seen.slice(posted + 1).some((r) => r.path === '/health')).toBe(true)
  })

  it('polls with If-None-Match and keeps the numbers on a 304', async () => {
    await expect
      .poll(() => seen.some((r) => r.path === '/kpi/streams-total' && r.ifNoneMatch), {
        timeout: 5000,
      })
      .toBe(true)
    expect(await value('streams-total')).toBe('685,757')
  })

  it('pauses polling while the tab is hidden and refreshes on return', async () => {
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => h })
        document.dispatchEvent(new Event('visibilitychange'))
      }, hidden)
    await setHidden(true)
    // Let a poll already in flight finish: wait until the server sees nothing new for 600 ms.
    for (let n = -1; n !== seen.length; ) {
      n = seen.length
      await page.waitForTimeout(600)
    }
    const from = seen.length
    await page.waitForTimeout(2500) // 2.5 poll intervals
    expect(kpiRequests(from)).toEqual([])
    expect(await page.locator('[data-status]').innerText()).toContain('Paused')
    await setHidden(false)
    await expect.poll(() => kpiRequests(from).length, { timeout: 5000 }).toBeGreaterThan(0)
  })

  it('shows empty states, not zeros, on a brand-new install', async () => {
    const empty = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await empty.goto((await start(stubApp({ pollSeconds: 30, empty: true }).app)) + '/')
    await empty.locator('[data-kpi="streams-total"] .value').waitFor()
    await settled(empty)
    const values = await empty.locator('[data-kpi] .value').allInnerTexts()
    expect(values.length).toBeGreaterThan(5)
    expect(new Set(values)).toEqual(new Set(['not reported yet']))
    expect(await empty.locator('[data-kpi="streams-total"] [data-empty] p').first().innerText()).toBe('no data from distrokid, toolost yet')
    // Runs and health are separate polls from the KPIs; wait for them rather than racing.
    await expect.poll(() => empty.locator('[data-panel="runs"]').innerText(), { timeout: 10_000 }).toContain('No runs yet.')
    await expect.poll(() => empty.locator('[data-relogin] code').count(), { timeout: 10_000 }).toBe(3)
    expect(await empty.locator('svg').count()).toBe(0)
    expect(await empty.locator('body').innerText()).not.toMatch(/\$0\.00|NaN|undefined|\b0%/)
    await empty.screenshot({ path: `${OUT}/page-empty.png`, fullPage: true })
    await empty.close()
  })

  it('shows every number before any script has run, the same numbers the live page shows', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } })
    const still = await context.newPage()
    // The live page's own view (an earlier test may have changed its range).
    await still.goto(page.url())
    const before = await still.locator('[data-kpi] .value').allInnerTexts()
    await context.close()
    expect(before.length).toBeGreaterThan(10)
    expect(before.filter((v) => /\d/.test(v)).length).toBeGreaterThan(5)
    expect(before).toEqual(await page.locator('[data-kpi] .value').allInnerTexts())
  })

  it('fits a phone screen and has a dark theme', async () => {
    const phone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    await phone.goto(url + '/')
    await phone.locator('[data-kpi="streams-total"] .value').waitFor()
    await phone.locator('[data-chart="streams-total"] svg').waitFor()
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await phone.screenshot({ path: `${OUT}/page-mobile.png`, fullPage: true })
    await phone.close()

    const dark = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      colorScheme: 'dark',
    })
    await dark.goto(url + '/')
    await dark.locator('[data-chart="streams-total"] svg').waitFor()
    await dark.screenshot({ path: `${OUT}/page-dark.png`, fullPage: true })
    await dark.close()
  })

  it('stays within the page-weight budget (JS + CSS, 30 KB)', async () => {
    // A new context: empty HTTP cache, so every file is really transferred.
    const context = await browser.newContext()
    const fresh = await context.newPage()
    const t0 = Date.now()
    await fresh.goto(url + '/')
    await fresh.locator('[data-kpi="streams-total"] .value').waitFor()
    console.log(`first render with data, warm browser, cold cache: ${Date.now() - t0} ms`)
    // The numbers are server-rendered: the modules load after them, so wait until the page is live.
    await live(fresh)
    const files = await fresh.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e as PerformanceResourceTiming)
        .filter((e) => /\.(m?js|css)(\?|$)/.test(e.name))
        .map((e) => ({
          name: new URL(e.name).pathname,
          wire: e.encodedBodySize,
          raw: e.decodedBodySize,
        })),
    )
    await context.close()
    const wire = files.reduce((s, f) => s + f.wire, 0)
    const raw = files.reduce((s, f) => s + f.raw, 0)
    console.log(`JS+CSS: ${files.length} files, ${wire} bytes transferred (compressed bodies), ${raw} bytes uncompressed`)
    // 3 vendor modules, the stylesheet and 7 app modules; Papa Parse only loads on a CSV download.
    expect(files.length).toBe(11)
    expect(files.some((f) => f.name.includes('papaparse'))).toBe(false)
    expect(wire).toBeLessThanOrEqual(30 * 1024)
  })
})
