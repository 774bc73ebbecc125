/** Configuration: defaults, and every bad variable named in one error. */
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../lib/config.ts'
import { FUNCTIONS_DIR } from '../../lib/registry.ts'
import { loadDeclarations, resolveSources } from '../../lib/source.ts'

describe('config', () => {
  it('has working defaults: local-only server, real upstream hosts, daily cron', async () => {
    const c = loadConfig({})
    expect([c.host, c.port, c.cron, c.timezone, c.chromiumPath]).toEqual(['127.0.0.1', 8787, '0 6 * * *', 'UTC', '/usr/bin/chromium'])
    expect(resolveSources(c.env, await loadDeclarations(FUNCTIONS_DIR)).get('distrokid')!.baseUrls.main).toBe('https://distrokid.com')
    expect(c.warehouseFile.endsWith('data_lake/warehouse.sqlite')).toBe(true)
  })

  it('names every bad variable', () => {
    const bad = () => loadConfig({ PORT: '99999', BEDROT_CRON: 'every day', BEDROT_TZ: 'Mars/Olympus' })
    expect(bad).toThrow(ConfigError)
    const message = (() => {
      try {
        bad()
      } catch (err) {
        return (err as Error).message
      }
    })()
    for (const name of ['PORT', 'BEDROT_CRON', 'BEDROT_TZ']) expect(message).toContain(`${name}: `)
  })

  it('names every bad variable a source declares (base URLs, accounts, settings)', async () => {
    const env = { DISTROKID_BASE_URL: 'not a url', TOOLOST_BASE_URL: 'ftp:/x y', BEDROT_SPOTIFY_ACCOUNTS: 'a=b=c' }
    const declarations = await loadDeclarations(FUNCTIONS_DIR)
    expect(() => resolveSources(env, declarations)).toThrow(ConfigError)
    const message = (() => {
      try {
        resolveSources(env, declarations)
      } catch (err) {
        return (err as Error).message
      }
    })()
    for (const name of ['DISTROKID_BASE_URL', 'TOOLOST_BASE_URL', 'BEDROT_SPOTIFY_ACCOUNTS']) expect(message).toContain(`${name}: `)
  })
})
