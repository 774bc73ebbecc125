/**
 * `npm run demo -- --screenshots DIR`: the KPI page as a person sees it, on a desktop (1440×900) and a
 * phone (390×844), light and dark, and filtered to the top artist, so anyone can look without a browser.
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { chromium } from 'playwright'
import { CHROMIUM_ARGS } from '../lib/browser/browser.ts'

const VIEWS = [
  { name: 'desktop', viewport: { width: 1440, height: 900 }, scheme: 'light' },
  { name: 'phone', viewport: { width: 390, height: 844 }, scheme: 'light' },
  { name: 'desktop-dark', viewport: { width: 1440, height: 900 }, scheme: 'dark' },
] as const

/** Writes one full-page PNG per view into `dir`; returns the files written. */
export async function takeScreenshots(url: string, dir: string, chromiumPath: string): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS })
  const files: string[] = []
  try {
    const shoot = async (name: string, view: (typeof VIEWS)[number], at: string) => {
      const page = await browser.newPage({ viewport: view.viewport, colorScheme: view.scheme, deviceScaleFactor: 1 })
      await page.goto(at)
      await page.locator('[data-kpi="streams-total"]').waitFor()
      // The first screen is server-rendered; charts and tables come once the page is live (web/app.js).
      await page.waitForSelector('html[data-live]', { state: 'attached' })
      // Let the first poll (ops panels) land so the shot is the settled page.
      await page.waitForLoadState('networkidle')
      const file = path.join(dir, `${name}.png`)
      await page.screenshot({ path: file, fullPage: true })
      files.push(file)
      await page.close()
    }
    for (const view of VIEWS) await shoot(view.name, view, url)
    const top = await (await fetch(new URL('/kpi/revenue-by-artist?days=all', url))).json()
    const artist = top?.breakdown?.[0]?.key
    if (artist) await shoot('desktop-filtered', VIEWS[0], `${new URL(url).origin}/?days=all&artist=${encodeURIComponent(artist)}`)
  } finally {
    await browser.close()
  }
  return files
}
