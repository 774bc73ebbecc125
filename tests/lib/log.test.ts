/** Secrets never reach a log line: by key, and by value wherever they appear. */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CredentialStore } from '../../lib/credentials/store.ts'
import { createLogger } from '../../lib/log.ts'
import { tempDir } from '../helpers.ts'

describe('logs', () => {
  it('redact secret keys and every stored secret value; errors also go to errors.jsonl', async () => {
    const dir = await tempDir('log-')
    const store = new CredentialStore(path.join(dir, 'sessions'))
    const cookie = 'fake-cookie-value-0123456789'
    const token = 'fake.jwt-token.for-tests-only'
    await store.save('distrokid', 'default', {
      storageState: {
        cookies: [{ name: 'dk_session', value: cookie, domain: 'x', path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' }],
        origins: [],
      },
      token,
    })
    await store.load('distrokid', 'default')
    const log = createLogger({ dir: path.join(dir, 'logs') })
    log.info({ headers: { authorization: `Bearer ${token}` }, password: 'hunter2-fake' }, 'calling upstream')
    log.error({ url: `https://x.test/?session=${cookie}` }, `request failed with cookie ${cookie}`)
    log.flush()
    const all = await readFile(path.join(dir, 'logs/pipeline.jsonl'), 'utf8')
    const errors = await readFile(path.join(dir, 'logs/errors.jsonl'), 'utf8')
    for (const secret of [cookie, token, 'hunter2-fake']) expect(all).not.toContain(secret)
    expect(all.trim().split('\n')).toHaveLength(2)
    expect(errors.trim().split('\n')).toHaveLength(1)
    expect(JSON.parse(errors).msg).toBe('request failed with cookie [redacted]')
    expect(JSON.parse(all.split('\n')[0]).headers.authorization).toBe('[redacted]')
  })

  it('session files are written with mode 0600', async () => {
    const dir = await tempDir('sess-')
    const store = new CredentialStore(dir)
    await store.save('toolost', 'default', { token: 'fake.token.value' })
    const { stat } = await import('node:fs/promises')
    expect((await stat(path.join(dir, 'toolost/default.json'))).mode & 0o777).toBe(0o600)
  })
})
