/**
 * The KPI page over a warehouse loaded from the real fixtures (read in place from REAL_FIXTURES_DIR),
 * in system Chromium: the done-means of the page issue, checked by tests/web/page-checks.ts.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS } from '../../lib/browser/browser.ts'
import { importFiles } from '../../lib/importer.ts'
import { hasReal, makeSystem, REAL } from '../helpers.ts'
import * as check from './page-checks.ts'
import { serveStub } from './stubs.ts'

const T = 240_000

async function load(sys: Awaited<ReturnType<typeof makeSystem>>, source: string, files: string[], extractedAt?: Date) {
  const uploads = await Promise.all(files.map(async (f) => ({ name: path.basename(f), bytes: new Uint8Array(await readFile(f)) })))
  await importFiles(sys.services, sys.runner.registry, source, uploads, { extractedAt })
  await sys.runner.run({ source, skipExtract: true, trigger: 'import' })
}

describe.skipIf(!hasReal)('the KPI page on the real fixtures', { timeout: T }, () => {
  let sys: Awaited<ReturnType<typeof makeSystem>>
  let server: { url: string; close(): Promise<void> }
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    sys = await makeSystem()
    const dk = path.join(REAL, 'distrokid')
    const pages = (await readdir(dk)).filter((n) => n.endsWith('.html')).map((n) => path.join(dk, n))
    await load(
      sys,
      'distrokid',
      pages.filter((p) => !/\d{8}_\d{6}/.test(p)),
      new Date('2025-05-01T00:00:00Z'),
    )
    await load(sys, 'distrokid', [...pages.filter((p) => /\d{8}_\d{6}/.test(p)), path.join(dk, 'derived/dk_bank_details_asof_20250331_DERIVED.tsv')])
    const tl = path.join(REAL, 'toolost')
    await load(
      sys,
      'toolost',
      (await readdir(tl)).map((n) => path.join(tl, n)),
    )
    server = await serveStub(sys.app)
    browser = await chromium.launch({ executablePath: sys.config.chromiumPath, args: CHROMIUM_ARGS })
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await check.open(page, `${server.url}/`)
    expect(errors).toEqual([])
  }, T)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await sys?.close()
  })

  it('narrows the KPIs to an artist or a track where they have that dimension (lib/kpi/filter.ts)', async () => {
    const get = async (q: string) => (await fetch(`${server.url}/kpi/${q}`)).json()
    const artists = (await get('revenue-by-artist?days=all')).breakdown
    for (const a of artists) {
      const one = await get(`revenue-total?days=all&artist=${encodeURIComponent(a.key)}`)
      expect(one.filter).toBe('applied')
      expect(one.exact).toBe(a.exact)
    }
    const track = (await get('revenue-by-track?days=all')).breakdown[0]
    const byTrack = await get(`revenue-by-store?days=all&track=${track.key}`)
    expect(byTrack.filter).toBe('applied')
    expect(byTrack.exact).toBe(track.exact)
    // Distributor streams have no artist: answered for the whole label, and saying so.
    const all = await get('streams-total?days=all')
    const streams = await get(`streams-total?days=all&artist=${encodeURIComponent(artists[0].key)}`)
    expect(streams.filter).toBe('not applicable')
    expect(streams.value).toBe(all.value)
    expect(streams.note).toMatch(/whole label/)
    expect((await get('goals?artist=PIG1987')).filter).toBe('not applicable')
    expect((await fetch(`${server.url}/kpi/revenue-total?track=${'x'.repeat(40)}`)).status).toBe(400)
  })
  it('gives every KPI a place, and empty ones say why', () => check.everyKpiPresent(page, server.url))
  it('draws no chart above its axis, over 28 days and over all dates', async () => {
    await check.chartsInsideAxes(page)
    await check.open(page, `${server.url}/?days=all`)
    await check.chartsInsideAxes(page)
  })
  it('gives each platform one colour in every view', async () => {
    // Over all dates the ledger (stores) and the daily stats (platforms) both name Spotify and Apple.
    await check.open(page, `${server.url}/?days=all`)
    await check.oneColourPerPlatform(page)
  })
  it('downloads breakdowns as CSV with the KPI JSON digits', async () => {
    await check.open(page, `${server.url}/`)
    const store = await check.csvEqualsJson(page, server.url, 'revenue-by-store')
    expect(store.length).toBeGreaterThan(3)
    await page.click('[data-range="all"]')
    await expect.poll(() => page.locator('[data-kpi="revenue-by-track"] [data-table] tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(5)
    const tracks = await check.csvEqualsJson(page, server.url, 'revenue-by-track', 'all')
    // The ledger's top track with all its digits (fixtures README: Σ 944.04970055 over 4,535 lines).
    expect(tracks.at(-1)!.key).toBe('others')
  })
  it('filters every panel to an artist, and the filter survives a reload', async () => {
    await check.open(page, `${server.url}/`)
    const artist = await check.filterByArtist(page, server.url)
    expect(['ZONE A0', 'PIG1987']).toContain(artist)
    await page.click('[data-clear="artist"]')
    await expect.poll(() => new URL(page.url()).searchParams.get('artist')).toBe(null)
  })
  it('is usable by keyboard alone', async () => {
    await check.open(page, `${server.url}/`)
    await check.keyboardReachesEverything(page)
  })
  it('has no serious accessibility violation (axe-core), light and dark', async () => {
    await check.noSeriousAxeViolations(page)
    const dark = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' })
    await check.open(dark, `${server.url}/`)
    await check.noSeriousAxeViolations(dark)
    expect(await dark.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await dark.close()
  })
})
