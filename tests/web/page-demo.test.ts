/**
 * The KPI page over the demo (`npm run demo`: every source against its local fake), in system
 * Chromium: the same done-means as on the real fixtures, and the screenshots `--screenshots DIR` writes.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS } from '../../lib/browser/browser.ts'
import { takeScreenshots } from '../../scripts/demo-screenshots.ts'
import { ROOT, tempDir } from '../helpers.ts'
import * as check from './page-checks.ts'

const T = 300_000
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

describe('the KPI page on the demo', { timeout: T }, () => {
  let demo: ChildProcess
  let url: string
  let dir: string
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    // Its own folder: the demo keeps its data in ./.demo of the directory it runs in.
    dir = await tempDir('page-demo-')
    demo = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/demo.ts'), '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    url = await new Promise<string>((resolve, reject) => {
      let out = ''
      demo.stdout!.on('data', (d: Buffer) => {
        out += d
        const m = /KPI page: (http:\/\/\S+?)\/?\s/.exec(out)
        if (m) resolve(m[1])
      })
      demo.stderr!.on('data', (d: Buffer) => (out += d))
      demo.once('exit', (code) => reject(new Error(`demo exited with ${code}: ${out}`)))
    })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
    await check.open(page, `${url}/`)
  }, T)
  afterAll(async () => {
    await browser?.close()
    demo?.kill('SIGINT')
  })

  it('gives every KPI a place, and empty ones say why', () => check.everyKpiPresent(page, url))
  it('draws no chart above its axis', () => check.chartsInsideAxes(page))
  it('gives each platform one colour in every view', () => check.oneColourPerPlatform(page))
  it('downloads a breakdown as CSV with the KPI JSON digits', async () => {
    await check.open(page, `${url}/`)
    expect((await check.csvEqualsJson(page, url, 'revenue-by-country')).length).toBeGreaterThan(3)
  })
  it('filters every panel to an artist, and the filter survives a reload', async () => {
    await check.open(page, `${url}/`)
    await check.filterByArtist(page, url)
  })
  it('is usable by keyboard alone', async () => {
    await check.open(page, `${url}/`)
    await check.keyboardReachesEverything(page)
  })
  it('has no serious accessibility violation (axe-core)', () => check.noSeriousAxeViolations(page))
  it('writes desktop (1440 wide) and phone (390 wide) screenshots', async () => {
    const files = await takeScreenshots(`${url}/`, path.join(dir, 'shots'), CHROMIUM)
    expect(files.map((f) => path.basename(f))).toEqual(['desktop.png', 'phone.png', 'desktop-dark.png', 'desktop-filtered.png'])
    const width = async (f: string) => (await readFile(f)).readUInt32BE(16)
    expect(await width(files[0])).toBe(1440)
    expect(await width(files[1])).toBe(390)
  })
})
