/**
 * @module Playwright over the system Chromium (nothing downloads a browser). Extractors get a context
 * loaded with the stored session; a login wall is detected and reported as needs_auth, never waited on.
 */
import type { Browser, BrowserContext, Page } from 'playwright'
import type { StorageState } from '../credentials/store.ts'

/** Flags that let Chromium run as root on a closed network without trying to phone home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

export class LoginWall extends Error {}

const LOGIN_URL = /\/(log-?in|sign-?in)\b/i

/** True when the page is a sign-in page: a sign-in URL or a visible password field. */
export async function isLoginWall(page: Page, urlPattern: RegExp = LOGIN_URL): Promise<boolean> {
  if (urlPattern.test(new URL(page.url()).pathname)) return true
  return (await page.locator('input[type="password"]').count()) > 0
}

export class BrowserHelper {
  private browser: Browser | null = null

  constructor(
    readonly executablePath: string,
    readonly timeoutMs: number,
  ) {}

  /** Playwright is loaded on first use: it costs ~85 MB of memory that runs without a browser never need. */
  async launch(headless = true): Promise<Browser> {
    const { chromium } = await import('playwright')
    return chromium.launch({ executablePath: this.executablePath, headless, args: CHROMIUM_ARGS, timeout: this.timeoutMs })
  }

  private async shared(): Promise<Browser> {
    if (!this.browser?.isConnected()) this.browser = await this.launch(true)
    return this.browser
  }

  /**
   * Runs `fn` in a fresh headless context carrying `storageState`; returns its result and the
   * context's storage state afterwards (sites refresh cookies as you browse).
   */
  async withSession<T>(
    storageState: StorageState | undefined,
    fn: (page: Page, context: BrowserContext) => Promise<T>,
  ): Promise<{ result: T; storageState: StorageState }> {
    const browser = await this.shared()
    const context = await browser.newContext({ storageState, acceptDownloads: true })
    context.setDefaultTimeout(this.timeoutMs)
    context.setDefaultNavigationTimeout(this.timeoutMs)
    try {
      const page = await context.newPage()
      const result = await fn(page, context)
      return { result, storageState: (await context.storageState()) as StorageState }
    } finally {
      await context.close()
    }
  }

  async close(): Promise<void> {
    await this.browser?.close()
    this.browser = null
  }
}
