/**
 * Start-up errors are one clear line and exit code 2, before any run starts: a port in use, a data
 * folder that cannot be written, a bad config. A window with from > to is refused (400 / exit 2).
 */
import { writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../lib/config.ts'
import { envFor, makeSystem, runCli, tempDir } from '../helpers.ts'

let busyPort: number
const blocker = createServer()

beforeAll(async () => {
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()))
  busyPort = (blocker.address() as { port: number }).port
})
afterAll(() => {
  blocker.close()
})

const oneLine = (stderr: string) => stderr.trim().split('\n')

describe('start-up errors', () => {
  it('port in use, unwritable data folder, bad config: one line each, exit 2, no run started', async () => {
    const dir = await tempDir('bedrot-start-')
    const portEnv = envFor(path.join(dir, 'port'), { PORT: String(busyPort), LOG_LEVEL: 'silent' })
    const notADir = path.join(dir, 'a-file')
    await writeFile(notADir, '')
    const [port, unwritable, badConfig] = await Promise.all([
      runCli('start', [], portEnv),
      runCli('start', [], envFor(dir, { BEDROT_DATA_DIR: path.join(notADir, 'lake'), PORT: '0' })),
      runCli('start', [], envFor(dir, { PORT: 'eighty', BEDROT_TZ: 'Mars/Olympus' })),
    ])
    expect(port.code, port.stderr).toBe(2)
    expect(oneLine(port.stderr)).toEqual([
      `error: cannot listen on 127.0.0.1:${busyPort}: the port is already in use (another server running?); set PORT to a free port`,
    ])
    // The catch-up run would have begun at once: nothing ran.
    const db = new Database(loadConfig(portEnv).warehouseFile, { readonly: true })
    expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 0 })
    db.close()

    expect(unwritable.code, unwritable.stderr).toBe(2)
    expect(oneLine(unwritable.stderr)).toHaveLength(1)
    expect(unwritable.stderr).toMatch(/^error: data folder .*a-file\/lake is not writable \(ENOTDIR\)/)

    expect(badConfig.code, badConfig.stderr).toBe(2)
    expect(oneLine(badConfig.stderr)).toHaveLength(1)
    expect(badConfig.stderr).toMatch(/^error: invalid configuration: .*PORT.*BEDROT_TZ/)
  }, 300_000)
})

describe('date windows', () => {
  it('from after to is refused: 400 over HTTP, exit 2 from the CLI, and no run is recorded', async () => {
    const sys = await makeSystem({ LOG_LEVEL: 'silent' })
    try {
      const res = await sys.app.request('/run/distrokid?from=2025-02-01&to=2025-01-01', { method: 'POST' })
      expect(res.status).toBe(400)
      expect((await res.json()).error.message).toBe('window from 2025-02-01 is after to 2025-01-01')
      const cli = await runCli('pipeline', ['distrokid', '--from', '2025-02-01', '--to', '2025-01-01'], sys.env)
      expect(cli.code).toBe(2)
      expect(oneLine(cli.stderr)).toEqual(['error: window from 2025-02-01 is after to 2025-01-01'])
      expect(await sys.services.wh.db.selectFrom('runs').selectAll().execute()).toEqual([])
    } finally {
      await sys.close()
    }
  }, 300_000)
})
