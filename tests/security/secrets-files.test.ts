/**
 * After real runs over HTTP (every source, with sessions, a refused login and bad tokens), the
 * recognisable fake secrets (API token, Web API token, TooLost JWT, DistroKid session cookie) are in
 * no response, no log line and no lake or warehouse file; and every file the system wrote is readable
 * by its owner only.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeDistroKidSession } from '../distrokid/session.ts'
import { createFakeDistroKid } from '../../functions/distrokid/fake.ts'
import { dailySeries, ledgerLines, ledgerTsv } from '../../functions/distrokid/fake-data.ts'
import { createFakeTooLost, fakeJwt, serveFake } from '../../functions/toolost/fake.ts'
import { makeSystem } from '../helpers.ts'

const API_TOKEN = 'fake-secret-token-XYZ123'
const WEB_API_TOKEN = 'fake-spotify-api-token-XYZ123'

async function walk(dir: string): Promise<{ file: string; dir: boolean }[]> {
  return (await readdir(dir, { withFileTypes: true, recursive: true })).map((e) => ({ file: path.join(e.parentPath, e.name), dir: e.isDirectory() }))
}

describe('secrets stay secret, files stay private', () => {
  let sys: Awaited<ReturnType<typeof makeSystem>>
  const servers: { url: string; close(): Promise<void> }[] = []
  const secrets: string[] = [API_TOKEN, WEB_API_TOKEN]
  const responses: string[] = []

  beforeAll(async () => {
    const dk = createFakeDistroKid({ spotifyDaily: dailySeries('2025-03-01', '2025-03-31', 3), appleDaily: [], ledgerTsv: ledgerTsv([...ledgerLines(30, 4)]) })
    const points = Array.from({ length: 10 }, (_, i) => ({ date: `2025-05-${String(i + 1).padStart(2, '0')}`, streams: 50 + i }))
    const tl = createFakeTooLost({ spotify: points, apple: points, now: new Date('2025-05-22T12:00:00Z') })
    servers.push(await serveFake(dk.app), await serveFake(tl.app))
    sys = await makeSystem({
      BEDROT_API_TOKEN: API_TOKEN,
      SPOTIFY_API_TOKEN: WEB_API_TOKEN,
      DISTROKID_BASE_URL: servers[0].url,
      TOOLOST_BASE_URL: servers[1].url,
      SPOTIFY_API_BASE_URL: servers[1].url,
      LOG_LEVEL: 'trace',
    })
    const cookie = dk.issueSession()
    const jwt = fakeJwt(new Date(Date.now() + 3 * 86_400_000))
    secrets.push(cookie, jwt)
    await storeDistroKidSession(sys.config.sessionsDir, servers[0].url, cookie)
    await sys.services.credentials.save('toolost', 'default', { token: jwt })

    const call = async (p: string, init: RequestInit = {}) => {
      const res = await sys.app.request(p, init)
      responses.push(`${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`)
      return res
    }
    expect((await call('/run', { method: 'POST' })).status).toBe(200)
    await call('/run/toolost', { method: 'POST', headers: { Authorization: 'Bearer fake-secret-token-XYZ124' } })
    await call('/run/toolost', { method: 'POST', headers: { Authorization: API_TOKEN } })
    // A session the portal no longer accepts: the failure is reported, the JWT is not.
    tl.setNow(new Date(Date.now() + 30 * 86_400_000))
    await call('/run/toolost', { method: 'POST' })
    for (const p of ['/', '/auth/status', '/health', '/runs?limit=50', '/kpi', '/kpi/revenue-total?days=all', '/kpi/alerts', '/config.json']) await call(p)
    await sys.services.log.flush()
  }, 120_000)
  afterAll(async () => {
    await sys.close()
    for (const s of servers) await s.close()
  })

  it('the page is the one place the API token is handed out (to its own origin)', () => {
    const pages = responses.filter((r) => r.includes('bedrot-api-token'))
    expect(pages).toHaveLength(1)
  })

  it('no response, log line, lake or warehouse file holds a secret', async () => {
    const files = (await walk(sys.config.dataDir)).filter((f) => !f.dir)
    expect(files.some((f) => f.file.endsWith('pipeline.jsonl'))).toBe(true)
    expect(files.some((f) => f.file.includes('1_landing'))).toBe(true)
    const logs = await readFile(path.join(sys.config.logDir, 'pipeline.jsonl'), 'utf8')
    expect(logs).toMatch(/session rejected with HTTP 401/)
    for (const secret of secrets) {
      for (const r of responses.filter((x) => !x.includes('bedrot-api-token'))) expect(r.includes(secret), `response holds ${secret.slice(0, 12)}…`).toBe(false)
      for (const f of files) {
        const bytes = await readFile(f.file)
        expect(bytes.includes(Buffer.from(secret)), `${path.relative(sys.config.dataDir, f.file)} holds ${secret.slice(0, 12)}…`).toBe(false)
      }
    }
  })

  it('every file and folder under the data dir (lake, logs, warehouse and its -wal/-shm) is owner-only', async () => {
    const entries = await walk(sys.config.dataDir)
    const names = entries.map((e) => path.basename(e.file))
    expect(names).toEqual(expect.arrayContaining(['warehouse.sqlite', 'warehouse.sqlite-wal', 'warehouse.sqlite-shm', 'pipeline.jsonl', 'errors.jsonl']))
    const loose = []
    for (const e of [{ file: sys.config.dataDir, dir: true }, ...entries]) {
      const mode = (await stat(e.file)).mode & 0o777
      if (mode !== (e.dir ? 0o700 : 0o600)) loose.push(`${path.relative(sys.config.dataDir, e.file) || '.'} ${mode.toString(8)}`)
    }
    expect(loose).toEqual([])
    expect(entries.filter((e) => !e.dir).length).toBeGreaterThan(10)
  })
})
