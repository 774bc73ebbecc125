/**
 * The page: JS + CSS bytes transferred on a cold load, and the time from navigation to the first card's
 * number being painted (Element Timing's renderTime of the streams-total value, which carries an
 * `elementtiming` attribute), in system Chromium on loopback. Five cold loads; medians reported, with
 * where the time went (HTML received, DOMContentLoaded, the main thread's script/layout/style/other).
 */
import { chromium } from 'playwright'
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
      await page.addInitScript(() => {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as (PerformanceEntry & { identifier?: string; renderTime?: number })[])
            if (e.identifier === 'kpi-streams-total' && /\d/.test((e as unknown as { element?: Element }).element?.textContent ?? ''))
              (window as unknown as { __painted?: number }).__painted ??= e.renderTime
        }).observe({ type: 'element', buffered: true })
      })
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
    const sorted = [...times].sort((a, b) => a - b)
    return {
      jsCssTransferredBytes: transferred,
      jsCssUncompressedBytes: uncompressed,
      files,
      firstRenderMs: times,
      firstRenderMedianMs: sorted[Math.floor(sorted.length / 2)],
      observedMs: observed,
      profile,
    }
  } finally {
    await browser.close()
    server.stop()
  }
}
