/**
 * Instagram against its fake: success with token renewal, a backfill cut into 30-day windows, throttling
 * (retried, then given up), an expired and a revoked token (needs_auth, never retried), a malformed
 * payload, idempotent re-runs, and the token found in no log or lake file.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFakeInstagram, instagramYear, serveFake, type FakeInstagram } from '../../functions/instagram/fake.ts'
import { addDays } from '../../lib/kpi/window.ts'
import { makeSystem } from '../helpers.ts'

const DAY = 86_400_000
const today = new Date().toISOString().slice(0, 10)
let fake: FakeInstagram
let server: { url: string; close(): Promise<void> }
let sys: Awaited<ReturnType<typeof makeSystem>>

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(path.join(e.parentPath, e.name))
  return out
}

const run = async (q = '') => (await sys.app.request(`/run/instagram${q}`, { method: 'POST' })).json()
const rows = () => sys.services.wh.db.selectFrom('social_daily').selectAll().where('platform', '=', 'instagram').orderBy('date').execute()

beforeEach(async () => {
  fake = createFakeInstagram({ days: instagramYear(today) })
  server = await serveFake(fake.app)
  sys = await makeSystem({ INSTAGRAM_BASE_URL: server.url })
  const twoDaysAgo = new Date(Date.now() - 2 * DAY)
  await sys.services.credentials.save('instagram', 'default', { token: fake.issueToken(twoDaysAgo) }, twoDaysAgo)
})
afterEach(async () => {
  await sys.close()
  await server.close()
})

describe('Instagram', () => {
  it('renews the token, reads 30 days, and loads what Instagram reported (nothing for days it has not)', async () => {
    const before = (await sys.services.credentials.load('instagram', 'default'))!.token
    const r = await run()
    expect(r.status, JSON.stringify(r)).toBe('ok')
    const after = (await sys.services.credentials.load('instagram', 'default'))!
    expect(after.token).not.toBe(before)
    expect((await sys.services.credentials.status('instagram', 'default')).daysLeft).toBe(59)
    const got = await rows()
    // Instagram is two days behind: the last two days of the window are not reported, not zero.
    const expected = instagramYear(today).filter((d) => d.date >= addDays(today, -29) && d.date <= addDays(today, -2))
    expect(got.map((g) => g.date)).toEqual(expected.map((d) => d.date))
    expect(got.map((g) => [g.reach, g.views, g.followers])).toEqual(expected.map((d) => [d.reach, d.views, d.followers]))
    const again = await run()
    expect(again.steps.load.status).toBe('skipped')
    expect(await rows()).toEqual(got)
  })

  it('cuts a backfill into windows of at most 30 days (the API refuses more)', async () => {
    const r = await run(`?from=${addDays(today, -95)}&to=${addDays(today, -3)}`)
    expect(r.status, JSON.stringify(r)).toBe('ok')
    const series = fake.queue.requests.filter((q) => q.includes('metric=reach'))
    expect(series.length).toBe(4)
    expect((await rows()).length).toBe(93)
  })

  it('retries a throttle (code 80002 with a usage header), and gives up on one that lasts', async () => {
    const throttle = (c: any) =>
      c.json({ error: { message: '(#80002) too many calls', code: 80002, type: 'OAuthException' } }, 400, {
        'x-business-use-case-usage': JSON.stringify({ '1': [{ estimated_time_to_regain_access: 0 }] }),
      })
    fake.queue.fail(/insights/, throttle, throttle)
    expect((await run()).status).toBe('ok')
    fake.queue.fail(/insights/, ...Array(10).fill(throttle))
    const r = await run()
    expect([r.status, r.severity]).toEqual(['failed', 'medium'])
    expect(r.message).toMatch(/80002.*still throttled/)
  })

  it('an expired or revoked token is needs_auth with the command, never retried', async () => {
    fake.clock.advance(61 * DAY)
    const r = await run()
    expect(r.status).toBe('needs_auth')
    expect(r.message).toContain('npm run auth -- instagram')
    expect(fake.queue.requests.filter((q) => q.includes('refresh_access_token'))).toHaveLength(1)
    fake.clock.advance(-61 * DAY)
    await run() // renews
    const token = (await sys.services.credentials.load('instagram', 'default'))!.token!
    fake.revoke(token)
    const before = fake.queue.requests.length
    const revoked = await run()
    expect(revoked.status).toBe('needs_auth')
    expect(fake.queue.requests.length - before).toBe(1)
  })

  it('a malformed payload fails the run clearly and lands nothing of it', async () => {
    fake.queue.fail(/insights/, (c) => c.json({ data: 'oops' }))
    const r = await run()
    expect([r.status, r.severity]).toEqual(['failed', 'medium'])
    expect(r.message).toMatch(/unexpected payload/)
    expect(await rows()).toEqual([])
  })

  it('never writes the token into a log or lake file', async () => {
    await run()
    const secrets = [(await sys.services.credentials.load('instagram', 'default'))!.token!]
    for (const f of await filesUnder(path.join(sys.dir, 'lake'))) {
      if (f.endsWith('.sqlite') || f.endsWith('-wal') || f.endsWith('-shm')) continue
      const text = await readFile(f, 'utf8')
      for (const s of secrets) expect(text.includes(s), f).toBe(false)
    }
  })
})
