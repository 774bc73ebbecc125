/**
 * The Sources badge and the "Log in again" box read /health in its old shape (freshness as a word,
 * sessions beside the sources) and its newer one (freshness objects, sessions per source): the badge
 * is "ok" only when no login is needed and no data is stale, and the box shows only when needed.
 */
import { Hono } from 'hono'
import { chromium, type Browser } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS } from '../../lib/browser/browser.ts'
import { mountWeb } from '../../lib/web.ts'
import { serveStub } from './stubs.ts'

const run = { id: 'r1', status: 'ok', message: null, started_at: new Date().toISOString(), finished_at: new Date().toISOString() }
const OLD_OK = {
  status: 'ok',
  sources: [{ source: 'distrokid', running: false, lastRun: run, newestDate: '2026-11-28', freshness: 'fresh' }],
  sessions: [{ source: 'distrokid', account: 'default', status: 'valid', daysLeft: 20, command: 'npm run auth -- distrokid' }],
  warnings: [],
}
const NEW_STALE = {
  status: 'ok',
  sources: [
    {
      source: 'toolost',
      lastRun: run,
      freshness: { status: 'stale', newestDate: '2026-11-01' },
      sessions: [{ account: 'default', status: 'valid', daysLeft: 5, command: 'npm run auth -- toolost' }],
    },
  ],
  warnings: [{ level: 'warn', message: 'toolost: newest data is from 2026-11-01' }],
}
const NEW_LOGIN = {
  status: 'ok',
  sources: [
    {
      source: 'tiktok',
      lastRun: run,
      freshness: { status: 'fresh', newestDate: '2026-11-28' },
      sessions: [{ account: 'zone.a0', status: 'expired', daysLeft: 0, command: 'npm run auth -- tiktok --account zone.a0' }],
    },
  ],
  warnings: [],
}

function app(health: object) {
  const a = new Hono()
  a.get('/kpi', (c) => c.json({ kpis: [] }))
  a.get('/health', (c) => c.json(health))
  a.get('/runs', (c) => c.json({ runs: [] }))
  mountWeb(a, { pollSeconds: 30 })
  return a
}

describe('the Sources badge and the log-in box', { timeout: 120_000 }, () => {
  let browser: Browser
  const servers: { close(): Promise<void> }[] = []
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  })
  afterAll(async () => {
    await browser?.close()
    for (const s of servers) await s.close()
  })
  async function look(health: object) {
    const server = await serveStub(app(health))
    servers.push(server)
    const page = await browser.newPage()
    await page.goto(`${server.url}/`)
    const badge = page.locator('[data-sources-status]')
    await badge.waitFor({ timeout: 60_000 })
    const out = {
      status: await badge.getAttribute('data-sources-status'),
      relogin: await page.locator('[data-relogin]').count(),
      text: await page.locator('[data-panel="sources"]').innerText(),
    }
    await page.close()
    return out
  }

  it('is ok, with no box, when every source is fresh and logged in (old shape)', async () => {
    expect(await look(OLD_OK)).toMatchObject({ status: 'ok', relogin: 0 })
  })
  it('is not ok while data is stale, though /health says ok (new shape)', async () => {
    const r = await look(NEW_STALE)
    expect(r.status).not.toBe('ok')
    expect(r.relogin).toBe(0)
    expect(r.text).toContain('TooLost data stale')
  })
  it('is not ok and shows the command while a login is needed (new shape)', async () => {
    const r = await look(NEW_LOGIN)
    expect(r.status).not.toBe('ok')
    expect(r.relogin).toBe(1)
    expect(r.text).toContain('npm run auth -- tiktok --account zone.a0')
  })
})
