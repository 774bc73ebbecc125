/**
 * @module The API token. BEDROT_API_TOKEN when set; otherwise one random token per installation,
 * generated at first start and kept in `<sessions>/api-token` (0600, beside the stored logins) so the
 * CLIs and curl on this machine can read it: `curl -H "Authorization: Bearer $(cat .sessions/api-token)"`.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Config } from '../config.ts'
import { registerSecret } from '../log.ts'

export const TOKEN_FILE = 'api-token'

export function resolveApiToken(config: Pick<Config, 'apiToken' | 'sessionsDir'>): string {
  const token = config.apiToken ?? storedToken(config.sessionsDir)
  registerSecret(token)
  return token
}

function storedToken(dir: string): string {
  const file = path.join(dir, TOKEN_FILE)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  try {
    // 'wx': two first starts racing each other both end up with the one token that was written first.
    const token = randomBytes(32).toString('base64url')
    writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' })
    return token
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  let token = readFileSync(file, 'utf8').trim()
  // The winner of a race may not have written its bytes yet.
  for (let i = 0; !token && i < 50; i++) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20)
    token = readFileSync(file, 'utf8').trim()
  }
  if (!/^[A-Za-z0-9._~+/-]{16,}$/.test(token)) throw new Error(`${file} holds no usable token: delete it to have a new one generated`)
  return token
}
