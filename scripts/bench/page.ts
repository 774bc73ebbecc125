/**
 * The page: JS + CSS bytes transferred on a cold load, and the time from navigation to the first card's
 * number being painted (Element Timing's renderTime of the streams-total value, which carries an
 * `elementtiming` attribute), in system Chromium on loopback. Five cold loads; medians reported, with
 * where the time went (HTML received, DOMContentLoaded, the main thread's script/layout/style/other).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Browser, chromium } from 'playwright'
import { CHROMIUM_ARGS } from '../../lib/browser/browser.ts'
import { startServer } from './server.ts'

export interface PageBench {
  jsCssTransferredBytes: number
  jsCssUncompressedBytes: number
  files: number
  firstRenderMs: number[]
  firstRenderMedianMs: number
  /** When automation saw the number in the DOM (later than the paint: its check queues behind page work). */
  observedMs: number[]
  /** Per load: HTML received, DOMContentLoaded, and main-thread time by kind up to the paint (CDP Performance). */
  profile: Record<string, number>[]
  /** The same measure on a static page holding only the number: what any page costs this Chromium here. */
  floorMs: number[]
  floorMedianMs: number
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const OBSERVE_PAINT = () => {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as (PerformanceEntry & { identifier?: string; renderTime?: number })[])
      if (e.identifier === 'kpi-streams-total' && /\d/.test((e as unknown as { element?: Element }).element?.textContent ?? ''))
        (window as unknown as { __painted?: number }).__painted ??= e.renderTime
  }).observe({ type: 'element', buffered: true })
}

/**
 * Cold loads (a new context each) of a loopback page holding one number and nothing else, sent with the
 * real page's security headers: its Cross-Origin-Opener-Policy alone makes Chromium swap to a new
 * renderer process on a cold load (measured: ~130 → ~310–680 ms for this page on the loaded machine),
 * a cost any page sending it pays, so the floor pays it too.
 */
async function floor(browser: Browser, loads: number, headers: Record<string, string>): Promise<number[]> {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><p elementtiming="kpi-streams-total">116,756</p></body></html>'
  const server = createServer((_, res) => res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(html))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const out: number[] = []
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.addInitScript(OBSERVE_PAINT)
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
      await page.waitForFunction(() => (window as unknown as { __painted?: number }).__painted !== undefined)
      out.push(Math.round(await page.evaluate(() => (window as unknown as { __painted: number }).__painted)))
      await context.close()
    }
    return out
  } finally {
    server.close()
  }
}

export async function benchPage(dataDir: string, loads = 5): Promise<PageBench> {
  const server = await startServer(dataDir)
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  try {
    const times: number[] = []
    const observed: number[] = []
    const profile: Record<string, number>[] = []
    let transferred = 0
    let uncompressed = 0
    let files = 0
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext()
      const page = await context.newPage()
      const cdp = await context.newCDPSession(page)
      await cdp.send('Network.enable')
      await cdp.send('Performance.enable')
      await page.addInitScript(OBSERVE_PAINT)
      const types = new Map<string, string>()
      let bytes = 0
      let raw = 0
      let count = 0
      cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type))
      cdp.on('Network.dataReceived', (e) => {
        if (types.get(e.requestId) === 'Script' || types.get(e.requestId) === 'Stylesheet') raw += e.dataLength
      })
      cdp.on('Network.loadingFinished', (e) => {
        if (types.get(e.requestId) === 'Script' || types.get(e.requestId) === 'Stylesheet') {
          bytes += e.encodedDataLength
          count++
        }
      })
      const t0 = performance.now()
      await page.goto(server.url + '/')
      await page.waitForFunction(() => /\d/.test(document.querySelector('[data-kpi="streams-total"] .value')?.textContent ?? ''))
      observed.push(performance.now() - t0)
      await page.waitForFunction(() => (window as unknown as { __painted?: number }).__painted !== undefined)
      const m = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]))
      const at = await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
        return { painted: (window as unknown as { __painted: number }).__painted, html: n.responseEnd, dcl: n.domContentLoadedEventEnd }
      })
      times.push(at.painted)
      const ms = (k: string) => Math.round((m[k] ?? 0) * 1000)
      profile.push({
        htmlMs: Math.round(at.html),
        domContentLoadedMs: Math.round(at.dcl),
        paintedMs: Math.round(at.painted),
        scriptMs: ms('ScriptDuration'),
        layoutMs: ms('LayoutDuration'),
        styleMs: ms('RecalcStyleDuration'),
        otherTaskMs: ms('TaskOtherDuration'),
        nodes: m.Nodes ?? 0,
      })
      await page.waitForLoadState('networkidle')
      transferred = bytes
      uncompressed = raw
      files = count
      await context.close()
    }
    const page = await fetch(server.url + '/')
    const security = /^(content-security-policy|cross-origin-|origin-agent-cluster|x-frame-options|referrer-policy)/
    const floorMs = await floor(browser, loads, Object.fromEntries([...page.headers].filter(([k]) => security.test(k))))
    return {
      floorMs,
      floorMedianMs: median(floorMs),
      jsCssTransferredBytes: transferred,
      jsCssUncompressedBytes: uncompressed,
      files,
      firstRenderMs: times,
      firstRenderMedianMs: median(times),
      observedMs: observed,
      profile,
    }
  } finally {
    await browser.close()
    server.stop()
  }
}
