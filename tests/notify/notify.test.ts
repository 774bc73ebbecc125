/**
 * Told in time, once per event: against a local webhook receiver and a local SMTP server, a session
 * about to expire, a source that fails (twice), data gone stale and a session that ended each give
 * exactly one webhook message and one e-mail, with the command to run; checking again sends nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkAndNotify, attachNotifier } from '../../lib/notify/notify.ts'
import { dataDay } from '../health/rows.ts'
import { fakeJwt } from '../../functions/toolost/fake.ts'
import { makeSystem } from '../helpers.ts'
import { smtpReceiver, webhookReceiver } from './receivers.ts'

const DAY = 86_400_000
let hook: Awaited<ReturnType<typeof webhookReceiver>>
let smtp: Awaited<ReturnType<typeof smtpReceiver>>
let sys: Awaited<ReturnType<typeof makeSystem>>

beforeAll(async () => {
  hook = await webhookReceiver()
  smtp = await smtpReceiver()
  sys = await makeSystem({
    BEDROT_NOTIFY_URL: hook.url,
    BEDROT_SMTP_URL: smtp.url,
    BEDROT_NOTIFY_EMAIL: 'label@example.com',
    // Nothing listens here: a TooLost run fails on the network.
    TOOLOST_BASE_URL: 'http://127.0.0.1:9',
    BEDROT_UPSTREAM_RETRIES: '0',
  })
  attachNotifier(sys.runner)
})
afterAll(async () => {
  await sys.close()
  await hook.close()
  await smtp.close()
})

const kinds = () => hook.bodies.map((b) => b.event.kind)

describe('notifications', () => {
  it('a session about to expire: one webhook message and one e-mail with the command, however often checked', async () => {
    // Captured 27 days ago with its JWT ending in 3: inside the refresh window.
    await sys.services.credentials.save('toolost', 'default', { token: fakeJwt(new Date(Date.now() + 3 * DAY)) }, new Date(Date.now() - 27 * DAY))
    expect((await checkAndNotify(sys.runner)).added).toBe(1)
    await checkAndNotify(sys.runner)
    await checkAndNotify(sys.runner)
    expect(hook.bodies).toHaveLength(1)
    expect(hook.bodies[0].text).toMatch(/^\[BEDROT WARN\] toolost session expiring in [23] days: run `npm run auth -- toolost`$/)
    expect(hook.bodies[0].event).toMatchObject({ kind: 'session-expiring', level: 'warn', source: 'toolost', command: 'npm run auth -- toolost' })
    expect(smtp.mails).toHaveLength(1)
    expect(smtp.mails[0].to).toEqual(['label@example.com'])
    expect(smtp.mails[0].raw).toMatch(/Subject: \[BEDROT WARN\] toolost session expiring/)
    expect(smtp.mails[0].raw).toContain('To fix it, run:  npm run auth -- toolost')
  })

  it('a source failing on two daily runs is one event, sent after the run that failed first', async () => {
    const first = await sys.runner.run({ source: 'toolost', trigger: 'cron' })
    expect(first.status).toBe('failed')
    expect(kinds()).toEqual(['session-expiring', 'run-failed'])
    await sys.runner.run({ source: 'toolost', trigger: 'cron' })
    expect(kinds()).toEqual(['session-expiring', 'run-failed'])
    expect(hook.bodies[1].text).toMatch(/^\[BEDROT ERROR\] toolost: last run failed \(high\): /)
    expect(hook.bodies[1].event.command).toBe('npm run pipeline -- toolost')
  })

  it('stale data and a session that ended are one message each; nothing repeats', async () => {
    const old = new Date(Date.now() - 20 * DAY).toISOString().slice(0, 10)
    await dataDay(sys.services.wh.db, 'distrokid', old)
    await sys.services.credentials.update('toolost', 'default', { deadAt: new Date().toISOString(), deadReason: 'toolost.com asked to sign in again' })
    await checkAndNotify(sys.runner)
    await checkAndNotify(sys.runner)
    expect(kinds().sort()).toEqual(['run-failed', 'session-expired', 'session-expiring', 'stale'])
    const expired = hook.bodies.find((b) => b.event.kind === 'session-expired')
    expect(expired.text).toContain('toolost session expired (toolost.com asked to sign in again): run `npm run auth -- toolost`')
    expect(hook.bodies.find((b) => b.event.kind === 'stale').text).toContain(`distrokid: newest data is from ${old}`)
    expect(smtp.mails).toHaveLength(4)
    expect(new Set(hook.bodies.map((b) => b.event.key)).size).toBe(4)
  })

  it('GET /notifications lists them for the page, newest first, with the channels that delivered them', async () => {
    const res = await sys.app.request('/notifications')
    expect(res.status).toBe(200)
    const body = (await res.json()) as any
    expect(body.channels).toEqual(['webhook', 'email'])
    expect(body.notifications).toHaveLength(4)
    expect(body.notifications[3].kind).toBe('session-expiring')
    for (const n of body.notifications) {
      expect(n.delivered.webhook).not.toBeNull()
      expect(n.delivered.email).not.toBeNull()
    }
    expect(JSON.stringify(body)).not.toContain('fake-webhook-token')
    expect((await sys.app.request('/notifications?limit=0')).status).toBe(400)
  })
})
