/** The KPI cache's data version: a load by another connection (the CLI) shows; one in this process at once. */
import { setTimeout as sleep } from 'node:timers/promises'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { bumpDataVersion, dataVersion } from '../../lib/kpi/cache.ts'
import { tempDir } from '../helpers.ts'

describe('KPI data version', () => {
  it('moves after another connection writes (within the recheck window) and at once after a local bump', async () => {
    const file = path.join(await tempDir('dv-'), 'w.sqlite')
    const server = new Database(file)
    server.pragma('journal_mode = WAL')
    server.exec('CREATE TABLE t (x)')
    const cli = new Database(file)
    try {
      const before = dataVersion(server)
      expect(dataVersion(server)).toBe(before)
      cli.exec('INSERT INTO t VALUES (1)')
      await sleep(150)
      const afterLoad = dataVersion(server)
      expect(afterLoad).not.toBe(before)
      expect(dataVersion(server)).toBe(afterLoad)
      bumpDataVersion()
      expect(dataVersion(server)).not.toBe(afterLoad)
    } finally {
      cli.close()
      server.close()
    }
  })
})
