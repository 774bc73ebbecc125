/**
 * The demo's semi-manual flow, honestly: its TooLost login is about to end, so /health, a notification
 * and the list the page reads (/notifications) say so with the command; the login `npm run auth --
 * toolost` runs (the test plays the person on the demo fake's sign-in page) gives a fresh month, and
 * the warning is gone. Also: `npm run auth` on a machine without a display says so in one line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginFlow } from '../../lib/credentials/login.ts'
import { checkAndNotify } from '../../lib/notify/notify.ts'
import { TOOLOST_DEMO_LOGIN, demo as toolostDemo } from '../../functions/toolost/fake-demo.ts'
import { serveFake } from '../../lib/fakes/serve.ts'
import { makeSystem, runCli } from '../helpers.ts'

let server: Awaited<ReturnType<typeof serveFake>>
let sys: Awaited<ReturnType<typeof makeSystem>>
const today = new Date().toISOString().slice(0, 10)

beforeAll(async () => {
  const demo = toolostDemo.create(today)
  server = await serveFake(demo.app)
  sys = await makeSystem({ TOOLOST_BASE_URL: server.url })
  await demo.logIn(sys.config.sessionsDir, server.url)
})
afterAll(async () => {
  await sys.close()
  await server.close()
})

describe('the demo TooLost login that is about to end', () => {
  it('runs ok, and /health, a notification and /notifications say it ends soon, with the command', async () => {
    const report = await sys.runner.run({ source: 'toolost', trigger: 'cli' })
    expect(report.status, report.message).toBe('ok')
    const h = (await (await sys.app.request('/health')).json()) as any
    const toolost = h.sources.find((s: any) => s.source === 'toolost')
    expect(toolost.status).toBe('warn')
    expect(toolost.sessions[0]).toMatchObject({ status: 'expiring', daysLeft: 2, command: 'npm run auth -- toolost' })
    expect(toolost.issues.map((i: any) => i.kind)).toEqual(['session-expiring'])
    await checkAndNotify(sys.runner, { today })
    const list = (await (await sys.app.request('/notifications')).json()) as any
    expect(list.notifications.map((n: any) => [n.kind, n.source, n.command])).toEqual([['session-expiring', 'toolost', 'npm run auth -- toolost']])
    expect(list.notifications[0].text).toMatch(/^toolost session expiring in 2 days: run `npm run auth -- toolost`$/)
  })

  it('the login on the demo fake fixes it: a fresh month, no warning, and the next run is ok', async () => {
    const status = await loginFlow(sys.services, 'toolost', 'default', {
      headless: true,
      timeoutMs: 30_000,
      onPage: async (page) => {
        await page.fill('input[type="email"]', TOOLOST_DEMO_LOGIN.email)
        await page.fill('input[type="password"]', TOOLOST_DEMO_LOGIN.password)
        await page.click('button[type="submit"]')
      },
    })
    expect(status).toMatchObject({ status: 'valid', daysLeft: 29 })
    const h = (await (await sys.app.request('/health')).json()) as any
    const toolost = h.sources.find((s: any) => s.source === 'toolost')
    expect(toolost.issues).toEqual([])
    expect(toolost.status).toBe('ok')
    expect((await sys.runner.run({ source: 'toolost', trigger: 'cli' })).status).toBe('ok')
  }, 120_000)

  it('npm run auth without a display: one line with how to run it, exit 2, no stack trace', async () => {
    const r = await runCli('auth', ['toolost'], { ...sys.env, DISPLAY: '', WAYLAND_DISPLAY: '' })
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe(
      'no display for the login browser: run it under a virtual display, e.g. `xvfb-run -a npm run auth -- toolost`, or from a desktop session',
    )
  }, 60_000)
})
