/**
 * Drives TikTok Studio for one account in the browser with that account's stored session: reads the
 * follower count from the internal insight JSON (the export has no follower column), picks "Last 365
 * days", downloads the Overview export as CSV. A login page or `status_code 8` is a LoginWall; a
 * throttle toast is retried after the wait it asks for; a click that delivers no file is a failure,
 * never a silent 7-day export.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright'
import { isLoginWall, LoginWall } from '../../lib/browser/browser.ts'
import type { StorageState } from '../../lib/credentials/store.ts'
import type { Context } from '../../lib/context.ts'
import { UpstreamError } from '../../lib/upstream/client.ts'
import { checkInsight, insightQuery } from './insight.ts'

export const WINDOW_DAYS = 365
const MAX_THROTTLE_RETRIES = 3
const MAX_WAIT_MS = 30_000
const LOGIN = /\/login|signin/i

export interface StudioResult {
  followersJson: string
  zip: Uint8Array
  suggestedName: string
  storageState: StorageState
}

export async function driveStudio(ctx: Context, base: string, state: StorageState): Promise<StudioResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tiktok-'))
  try {
    const { result, storageState } = await ctx.browser.withSession(state, async (page) => {
      await page.goto(`${base}/tiktokstudio/analytics`)
      if ((await isLoginWall(page, LOGIN)) || LOGIN.test(new URL(page.url()).pathname)) throw new LoginWall('TikTok Studio redirected to the login page')
      const followersJson = await readFollowers(page, base)
      await pickRange(page)
      const download = await downloadExport(page)
      const target = path.join(dir, 'export.zip')
      await download.saveAs(target)
      return { followersJson, zip: new Uint8Array(await readFile(target)), suggestedName: download.suggestedFilename() }
    })
    return { ...result, storageState }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The insight JSON through the page's own session. */
async function readFollowers(page: Page, base: string): Promise<string> {
  const res = await page.request.get(base + insightQuery())
  if (res.status() === 429) throw new UpstreamError('rate_limited', 'the insight endpoint throttled the follower read', 429)
  return checkInsight(await res.text())
}

async function pickRange(page: Page) {
  const label = `Last ${WINDOW_DAYS} days`
  await need(page, '[data-tt="date-range-trigger"], button:has(span.TUXText:text-matches("Last \\\\d+ days"))', 'the date-range dropdown')
  await page.locator('[data-tt="date-range-trigger"], button:has(span.TUXText:text-matches("Last \\\\d+ days"))').first().click()
  const option = page.locator(`span.TUXText:text-is("${label}")`).last()
  if ((await option.count()) === 0) throw new UpstreamError('drift', `the date-range dropdown offers no "${label}" (only shorter windows?)`)
  await option.click()
  // The trigger must now show the 365-day range: exporting TikTok's default 7 days silently is the bug to avoid.
  const shown = await page.locator('[data-tt="date-range-trigger"] span.TUXText').first().textContent()
  if (shown?.trim() !== label) throw new UpstreamError('drift', `the date range shows "${shown?.trim()}" after choosing "${label}"`)
}

async function downloadExport(page: Page) {
  for (let attempt = 0; ; attempt++) {
    await need(page, 'div.TUXButton-label:text-is("Download data")', 'the "Download data" button')
    await page.locator('div.TUXButton-label:text-is("Download data")').click()
    await need(page, 'input[type="radio"][name="CSV"]', 'the CSV option of the export dialog')
    await page.locator('input[type="radio"][name="CSV"]').check()
    const toast = page.locator('.TUXTopToast:not(.hidden)')
    const downloaded = page.waitForEvent('download').then((d) => ({ d }))
    const toasted = toast.waitFor({ state: 'visible' }).then(() => ({ d: null }))
    const login = page.waitForURL((u) => LOGIN.test(u.pathname)).then(() => 'login' as const)
    await page.locator('div.TUXButton-label:text-is("Download")').last().click()
    const first = await Promise.race([downloaded, toasted, login]).catch((err: Error) => {
      throw new UpstreamError('unavailable', `"Download" delivered no file (${err.message.split('\n')[0]})`)
    })
    downloaded.catch(() => {})
    toasted.catch(() => {})
    login.catch(() => {})
    if (first === 'login') throw new LoginWall('the export answered "Login expired"')
    if (first.d) return first.d
    const message = (await toast.textContent())?.trim() ?? ''
    const wait = Math.min(MAX_WAIT_MS, 1000 * (Number(await toast.getAttribute('data-retry-after')) || 2 ** attempt))
    if (!/too many|try again/i.test(message) || attempt >= MAX_THROTTLE_RETRIES) {
      const kind = /too many/i.test(message) ? 'rate_limited' : 'unavailable'
      throw new UpstreamError(kind, `TikTok refused the export: "${message}"${attempt ? ` after ${attempt + 1} attempts` : ''}`)
    }
    await page.evaluate(() => document.querySelector('.TUXTopToast')?.classList.add('hidden'))
    await page.waitForTimeout(wait)
  }
}

/** A control the flow needs is missing: the page changed, which no waiting fixes. */
async function need(page: Page, selector: string, what: string) {
  try {
    await page.locator(selector).first().waitFor({ state: 'visible', timeout: 10_000 })
  } catch {
    throw new UpstreamError('drift', `TikTok Studio has no ${what} (${selector}; page layout changed?)`)
  }
}
