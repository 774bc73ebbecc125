/** Configuration: defaults, and every bad variable named in one error. */
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../lib/config.ts'

describe('config', () => {
  it('has working defaults: local-only server, real upstream hosts, daily cron', () => {
    const c = loadConfig({})
    expect([c.host, c.port, c.cron, c.timezone, c.chromiumPath]).toEqual(['127.0.0.1', 8787, '0 6 * * *', 'UTC', '/usr/bin/chromium'])
    expect(c.baseUrls.distrokid).toBe('https://distrokid.com')
    expect(c.warehouseFile.endsWith('data_lake/warehouse.sqlite')).toBe(true)
  })

  it('names every bad variable', () => {
    const bad = () => loadConfig({ PORT: '99999', BEDROT_CRON: 'every day', BEDROT_TZ: 'Mars/Olympus', DISTROKID_BASE_URL: 'not a url' })
    expect(bad).toThrow(ConfigError)
    const message = (() => {
      try {
        bad()
      } catch (err) {
        return (err as Error).message
      }
    })()
    for (const name of ['PORT', 'BEDROT_CRON', 'BEDROT_TZ', 'DISTROKID_BASE_URL']) expect(message).toContain(`${name}: `)
  })
})
