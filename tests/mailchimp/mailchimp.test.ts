/**
 * Mailchimp against its fake: success (members, daily activity, campaigns; pages followed), throttling
 * (429 without Retry-After: backed off and retried), a revoked key (401 problem+json: needs_auth, never
 * retried), a malformed payload, idempotent re-runs — and no seeded e-mail address in clear in any log,
 * HTTP response, lake file or warehouse table.
 */
import Database from 'better-sqlite3'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFakeMailchimp, mailchimpYear, serveFake, type FakeMailchimp } from '../../functions/mailchimp/fake.ts'
import { hashAddress, scrubAddresses } from '../../functions/mailchimp/payloads.ts'
import { addDays } from '../../lib/kpi/window.ts'
import { makeSystem } from '../helpers.ts'

const today = new Date().toISOString().slice(0, 10)
const SEEDED = ['seeded.fan.alpha+bedrot@example.test', 'Seeded.Fan.Beta@Example.test']
let fake: FakeMailchimp
let server: { url: string; close(): Promise<void> }
let sys: Awaited<ReturnType<typeof makeSystem>>
let key: string

const run = async () => (await sys.app.request('/run/mailchimp', { method: 'POST' })).json()
const db = () => sys.services.wh.db

beforeEach(async () => {
  const data = mailchimpYear(today, SEEDED)
  // Enough campaigns for the reports to come in two pages.
  for (let i = 0; i < 130; i++) data.campaigns.push({ ...data.campaigns[0], id: `bulk${i}`, send_time: `${addDays(today, -(i % 20))}T09:00:00+00:00` })
  fake = createFakeMailchimp(data)
  server = await serveFake(fake.app)
  sys = await makeSystem({ MAILCHIMP_BASE_URL: `${server.url}/3.0` })
  key = fake.issueKey()
  await sys.services.credentials.save('mailchimp', 'default', { token: key })
})
afterEach(async () => {
  await sys.close()
  await server.close()
})

describe('Mailchimp', () => {
  it('loads members, 30 days of activity and the campaigns sent in them, following the report pages', async () => {
    const r = await run()
    expect(r.status, JSON.stringify(r)).toBe('ok')
    const days = await db().selectFrom('email_daily').selectAll().orderBy('date').execute()
    const activity = mailchimpYear(today).lists[0].activity.filter((a) => a.day >= addDays(today, -29))
    expect(days.filter((d) => d.subscribes !== null).map((d) => [d.date, d.subscribes, d.unsubscribes])).toEqual(
      activity.sort((a, b) => a.day.localeCompare(b.day)).map((a) => [a.day, a.subs, a.unsubs]),
    )
    expect(days.find((d) => d.members !== null)).toMatchObject({ date: today, members: 640 })
    const campaigns = await db().selectFrom('email_campaigns').selectAll().execute()
    expect(campaigns.length).toBe(130 + mailchimpYear(today).campaigns.filter((c) => c.send_time >= addDays(today, -29)).length)
    expect(fake.queue.requests.filter((q) => q.includes('/3.0/reports')).length).toBe(2)
    expect(fake.queue.requests.some((q) => q.includes('/members'))).toBe(false)
    expect(fake.peakConnections()).toBe(1)
    const before = await db().selectFrom('email_daily').selectAll().execute()
    expect((await run()).steps.load.status).toBe('skipped')
    expect(await db().selectFrom('email_daily').selectAll().execute()).toEqual(before)
  })

  it('backs off a 429 TooManyRequests (no Retry-After) and carries on', async () => {
    const busy = (c: any) =>
      c.body(JSON.stringify({ title: 'Too Many Requests', status: 429, detail: 'You have exceeded the limit of 10 simultaneous connections.' }), 429, {
        'Content-Type': 'application/problem+json',
      })
    fake.queue.fail(/\/activity/, busy, busy)
    expect((await run()).status).toBe('ok')
  })

  it('a revoked key is needs_auth with the command, asked once', async () => {
    fake.revoke(key)
    const r = await run()
    expect(r.status).toBe('needs_auth')
    expect(r.message).toMatch(/API Key Invalid.*npm run auth -- mailchimp/)
    expect(fake.queue.requests.length).toBe(1)
  })

  it('a malformed payload fails clearly and loads nothing', async () => {
    fake.queue.fail(/\/3\.0\/lists$/, (c) => c.json({ lists: [{ id: 7 }], total_items: 'many' }))
    const r = await run()
    expect([r.status, r.severity]).toEqual(['failed', 'medium'])
    expect(await db().selectFrom('email_daily').selectAll().execute()).toEqual([])
  })

  it('no seeded address in clear in any log, response, lake file or warehouse table', async () => {
    const responses = [JSON.stringify(await run())]
    for (const k of ['email-audience']) responses.push(await (await sys.app.request(`/kpi/${k}?days=all`)).text())
    responses.push(await (await sys.app.request('/runs')).text(), await (await sys.app.request('/health')).text())
    const texts = [...responses]
    const walk = async (dir: string): Promise<string[]> =>
      (await readdir(dir, { withFileTypes: true, recursive: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name))
    for (const f of await walk(path.join(sys.dir, 'lake'))) if (!/\.sqlite(-wal|-shm)?$/.test(f)) texts.push(await readFile(f, 'utf8'))
    const wh = new Database(sys.config.warehouseFile, { readonly: true })
    for (const { name } of wh.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[])
      texts.push(JSON.stringify(wh.prepare(`select * from "${name}"`).all()))
    wh.close()
    const all = texts.join('\n').toLowerCase()
    for (const address of SEEDED) {
      expect(all).not.toContain(address.toLowerCase())
      expect(all).not.toContain(address.split('@')[0].toLowerCase())
    }
    // Unfiltered, the fake's payloads do carry them (a reply-to): the scrubber leaves only their hashes.
    const unfiltered = await (
      await fetch(`${server.url}/3.0/reports?count=5`, { headers: { authorization: `Basic ${Buffer.from(`x:${key}`).toString('base64')}` } })
    ).json()
    expect(JSON.stringify(unfiltered)).toContain(SEEDED[0])
    const scrubbed = JSON.stringify(scrubAddresses(unfiltered))
    expect(scrubbed).not.toContain(SEEDED[0])
    expect(scrubbed).toContain(hashAddress(SEEDED[0]))
  })
})
