/**
 * What "done" means for the KPI page, checked in system Chromium against any running app (the real
 * fixtures' warehouse, the demo): every KPI has a place, a filter reaches every panel and survives a
 * reload, CSVs carry the KPI JSON's digits, charts stay inside their axes, one colour per platform,
 * keyboard-only use reaches every control, and axe-core finds nothing serious.
 */
import { createRequire } from 'node:module'
import { readFile } from 'node:fs/promises'
import Papa from 'papaparse'
import type { Page } from 'playwright'
import { expect } from 'vitest'

const require = createRequire(import.meta.url)
const json = async (url: string) => (await fetch(url)).json()

/** The page has hydrated the server's first screen and drawn its details (web/app.js sets data-live). */
export const live = (page: Page) => page.waitForSelector('html[data-live]', { state: 'attached', timeout: 60_000 })

export async function open(page: Page, url: string) {
  await page.goto(url)
  await live(page)
  await page.locator('[data-kpi="streams-total"] .value').waitFor({ timeout: 60_000 })
  // Every KPI the server lists has left its loading state.
  await page.waitForFunction(() => !document.querySelector('[data-kpi][aria-busy="true"]'), null, { timeout: 60_000 })
}

export async function everyKpiPresent(page: Page, base: string) {
  const names: string[] = (await json(`${base}/kpi`)).kpis.map((k: { name: string }) => k.name)
  expect(names.length).toBeGreaterThanOrEqual(31)
  const missing = []
  for (const n of names) if ((await page.locator(`[data-kpi="${n}"]`).count()) === 0) missing.push(n)
  expect(missing).toEqual([])
  // No KPI shows a stand-in: an empty one says why (its note) instead of a number.
  for (const n of names) {
    const env = await json(`${base}/kpi/${n}${n === 'goals' || n === 'alerts' ? '' : '?days=28'}`)
    if (env.freshness === 'empty') expect(await page.locator(`[data-kpi="${n}"]`).innerText()).toContain(env.note)
  }
  expect(await page.locator('body').innerText()).not.toMatch(/NaN|undefined|Infinity|\bnull\b|\d\.\d{7,}/)
}

/** Every drawn mark of every chart is at or below the top gridline, and inside the plot horizontally. */
export async function chartsInsideAxes(page: Page) {
  const out = await page.$$eval('[data-chart] svg', (svgs) =>
    svgs.map((svg) => {
      const top = Number(svg.getAttribute('data-top'))
      const marks = [...svg.querySelectorAll('path.line, rect.bar, circle')] as SVGGraphicsElement[]
      const above = marks.map((m) => m.getBBox()).filter((b) => b.width + b.height > 0 && b.y < top - 0.5)
      return { chart: svg.closest('[data-chart]')!.getAttribute('data-chart'), top, marks: marks.length, above: above.length }
    }),
  )
  expect(out.length).toBeGreaterThan(0)
  expect(out.filter((c) => c.above > 0)).toEqual([])
}

/** The colour of each platform is the same in every chart, legend and table that shows it. */
export async function oneColourPerPlatform(page: Page, platforms = ['spotify', 'apple', 'youtube', 'distrokid', 'toolost']) {
  const seen = await page.$$eval('i.sw, g[data-key]', (els) =>
    els.map((el) => ({
      key: (el.closest('[data-key]') as HTMLElement | null)?.dataset.key ?? '',
      view: (el.closest('[data-kpi]') as HTMLElement | null)?.dataset.kpi ?? '',
      colour: getComputedStyle(el).getPropertyValue('--k').trim(),
    })),
  )
  let checked = 0
  let across = 0
  for (const p of platforms) {
    const mine = seen.filter((s) =>
      s.key
        .toLowerCase()
        .replace(/[^a-z]/g, '')
        .startsWith(p),
    )
    if (mine.length < 2) continue
    checked++
    expect(new Set(mine.map((m) => m.colour)), `${p} in ${[...new Set(mine.map((m) => m.view))]}`).toEqual(new Set([mine[0].colour]))
    if (new Set(mine.map((m) => m.view)).size > 1) across++
  }
  expect(checked).toBeGreaterThan(0)
  // At least one platform is compared across different KPIs (chart in one, table in another).
  expect(across).toBeGreaterThan(0)
}

/** A CSV download holds the KPI JSON's values to the last digit (money as its exact text). */
export async function csvEqualsJson(page: Page, base: string, name: string, days = '28') {
  const env = await json(`${base}/kpi/${name}?days=${days}`)
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-csv="${name}"]`)])
  const text = await readFile((await download.path())!, 'utf8')
  const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data
  const expected = [...env.breakdown, ...(env.others ? [{ key: 'others', ...env.others }] : [])]
  expect(rows.length).toBe(expected.length)
  for (const [i, r] of expected.entries()) {
    expect(rows[i].key).toBe(String(r.key))
    expect(rows[i].value).toBe(r.exact ?? String(r.value))
    for (const f of ['quantity', 'lines', 'share']) if (typeof r[f] === 'number') expect(Number(rows[i][f]), `${name} ${r.key} ${f}`).toBe(r[f])
  }
  return rows
}

/** Clicks the top artist, checks every panel answers for it, reloads, checks again; returns the artist. */
export async function filterByArtist(page: Page, base: string) {
  const before = await page.locator('[data-kpi="revenue-total"] .value').innerText()
  const button = page.locator('[data-kpi="revenue-by-artist"] [data-pick="artist"]').first()
  const artist = (await button.getAttribute('data-value'))!
  await button.click()
  await expect.poll(() => new URL(page.url()).searchParams.get('artist'), { timeout: 30_000 }).toBe(artist)
  const check = async () => {
    const names: string[] = (await json(`${base}/kpi`)).kpis.map((k: { name: string }) => k.name)
    for (const n of names) {
      const q = new URLSearchParams({ artist })
      if (n !== 'goals' && n !== 'alerts') q.set('days', '28')
      const env = await json(`${base}/kpi/${n}?${q}`)
      const state = env.freshness === 'empty' && !env.filter ? 'not applicable' : env.filter
      expect(['applied', 'not applicable']).toContain(state)
      await expect.poll(() => page.locator(`[data-kpi="${n}"]`).getAttribute('data-filter'), { timeout: 30_000 }).toBe(state)
      if (state === 'not applicable' && env.freshness !== 'empty') expect(await page.locator(`[data-kpi="${n}"]`).innerText()).toMatch(/whole label/)
    }
    await expect.poll(() => page.locator('[data-filter-bar]').innerText(), { timeout: 30_000 }).toContain(artist)
  }
  await check()
  expect(await page.locator('[data-kpi="revenue-total"] .value').innerText()).not.toBe(before)
  const filtered = await page.locator('[data-kpi="revenue-total"] .value').innerText()
  await page.reload()
  await open(page, page.url())
  expect(new URL(page.url()).searchParams.get('artist')).toBe(artist)
  await check()
  expect(await page.locator('[data-kpi="revenue-total"] .value').innerText()).toBe(filtered)
  return artist
}

/** Tab alone reaches every control, each with a visible focus ring; arrow keys read a chart. */
export async function keyboardReachesEverything(page: Page) {
  const controls = await page.$$eval('button:not([disabled]), a[href], [tabindex="0"]', (els) =>
    els.filter((e) => (e as HTMLElement).offsetParent !== null || e.tagName === 'svg').map((e, i) => ((e as HTMLElement).dataset.kb = String(i))),
  )
  const reached = new Set<string>()
  let unringed = 0
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  for (let i = 0; i < controls.length + 5; i++) {
    await page.keyboard.press('Tab')
    const s = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      if (!el || el === document.body) return null
      const st = getComputedStyle(el)
      return { kb: el.dataset.kb ?? null, ring: st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0 }
    })
    if (s?.kb) reached.add(s.kb)
    if (s && !s.ring) unringed++
  }
  expect(controls.length).toBeGreaterThan(20)
  expect(controls.filter((c) => !reached.has(c))).toEqual([])
  expect(unringed).toBe(0)
  const chart = page.locator('[data-chart] svg').first()
  await chart.focus()
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => chart.locator('xpath=..').locator('.readout b').first().innerText(), { timeout: 30_000 }).toMatch(/\d/)
}

/** axe-core (from node_modules) over the whole page: no serious or critical violation. */
export async function noSeriousAxeViolations(page: Page) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') })
  const result = await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, first: v.nodes[0]?.target?.join(' ') }))
  })
  const serious = result.filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious, JSON.stringify(serious)).toEqual([])
}
