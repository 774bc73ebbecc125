/**
 * The page: JS + CSS bytes transferred on a cold load, and the time from navigation to the first card
 * showing a number, in system Chromium on loopback. Five cold loads; medians reported.
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
}

export async function benchPage(dataDir: string, loads = 5): Promise<PageBench> {
  const server = await startServer(dataDir)
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  try {
    const times: number[] = []
    let transferred = 0
    let uncompressed = 0
    let files = 0
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext()
      const page = await context.newPage()
      const cdp = await context.newCDPSession(page)
      await cdp.send('Network.enable')
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
      times.push(performance.now() - t0)
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
    }
  } finally {
    await browser.close()
    server.stop()
  }
}
