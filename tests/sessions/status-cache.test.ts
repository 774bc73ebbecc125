/**
 * Session statuses are answered again without looking at the folder while nothing changed (the alerts
 * KPI asks on every poll). The answer must still change exactly when a status does: a write through any
 * store in this process at once, a write by another process (`npm run auth`) once its watch event
 * arrives, and the clock reaching an expiry, the refresh window or one day less left.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import toolost from '../../functions/toolost/source.ts'
import { CredentialStore } from '../../lib/credentials/store.ts'
import { resolveSources } from '../../lib/source.ts'
import { tempDir } from '../helpers.ts'

const DAY = 86_400_000
const captured = Date.UTC(2025, 0, 1)
// TooLost without its login cookie: bounded by the JWT's exp, 7 days; refresh window 5 days.
const expires = captured + 7 * DAY
const jwt = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp: expires / 1000 })).toString('base64url')}.sig`
const sources = resolveSources({}, [toolost])

/** Writes or deletes the session file from a separate process, as the CLI would. */
function otherProcess(dir: string, action: 'write' | 'delete') {
  const file = path.join(dir, 'toolost', 'default.json')
  const record = JSON.stringify({ source: 'toolost', account: 'default', capturedAt: new Date(captured).toISOString(), token: jwt })
  const script =
    action === 'write'
      ? `const fs = require('node:fs'); fs.mkdirSync(${JSON.stringify(path.dirname(file))}, { recursive: true }); fs.writeFileSync(${JSON.stringify(`${file}.tmp`)}, ${JSON.stringify(record)}); fs.renameSync(${JSON.stringify(`${file}.tmp`)}, ${JSON.stringify(file)})`
      : `require('node:fs').rmSync(${JSON.stringify(file)})`
  execFileSync(process.execPath, ['-e', script])
}

describe('cached session statuses', () => {
  it('a save through another store on the same folder shows at the next question', async () => {
    const dir = await tempDir('sess-cache-')
    const now = () => new Date(captured + DAY)
    const server = new CredentialStore(dir, now, sources)
    expect((await server.statusAll()).map((s) => s.status)).toEqual(['missing'])
    expect((await server.statusAll()).map((s) => s.status)).toEqual(['missing'])
    await new CredentialStore(dir).save('toolost', 'default', { token: jwt }, new Date(captured))
    expect((await server.statusAll()).map((s) => s.status)).toEqual(['valid'])
    await new CredentialStore(dir).remove('toolost', 'default')
    expect((await server.statusAll()).map((s) => s.status)).toEqual(['missing'])
  })

  it("another process's write and removal show without any write through a store here", async () => {
    const dir = await tempDir('sess-cache-')
    const server = new CredentialStore(dir, () => new Date(captured + DAY), sources)
    await server.save('toolost', 'default', { token: 'not-a-jwt' }, new Date(captured - 40 * DAY))
    expect((await server.statusAll())[0].status).toBe('expired')
    otherProcess(dir, 'write')
    await vi.waitFor(async () => expect((await server.statusAll())[0].status).toBe('valid'), { timeout: 10_000, interval: 20 })
    otherProcess(dir, 'delete')
    await vi.waitFor(async () => expect((await server.statusAll())[0].status).toBe('missing'), { timeout: 10_000, interval: 20 })
  })

  it('the clock alone moves a status at the very instant it reads differently, and back', async () => {
    const dir = await tempDir('sess-cache-')
    let now = captured
    const store = new CredentialStore(dir, () => new Date(now), sources)
    await store.save('toolost', 'default', { token: jwt }, new Date(captured))
    const at = async (t: number) => {
      now = t
      const [s] = await store.statusAll()
      return [s.status, s.daysLeft]
    }
    expect(await at(captured)).toEqual(['valid', 7])
    // Into the refresh window (5 days) at its first ms.
    expect(await at(expires - 5 * DAY - 1)).toEqual(['valid', 5])
    expect(await at(expires - 5 * DAY)).toEqual(['expiring', 5])
    // Exactly 3 whole days left reads 3; one ms later, 2.
    expect(await at(expires - 3 * DAY)).toEqual(['expiring', 3])
    expect(await at(expires - 3 * DAY + 1)).toEqual(['expiring', 2])
    expect(await at(expires - 1)).toEqual(['expiring', 0])
    expect(await at(expires)).toEqual(['expired', 0])
    expect(await at(expires + 30 * DAY)).toEqual(['expired', 0])
    // A clock set back (tests, a corrected system clock) is answered for what it says.
    expect(await at(captured)).toEqual(['valid', 7])
  })
})
