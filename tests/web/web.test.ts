/** mountWeb's routes without a browser: content types, caching, compression and path safety. */
import { Hono } from 'hono'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { mountWeb } from '../../lib/web.ts'

function app() {
  const a = new Hono()
  mountWeb(a, { pollSeconds: 42 })
  return a
}

describe('mountWeb', () => {
  it('serves the page with an import map whose vendor URLs carry content hashes', async () => {
    const res = await app().request('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    const html = await res.text()
    expect(html).toContain('<script type="importmap">')
    expect(html).toMatch(/"preact": "\/vendor\/preact\.mjs\?v=[0-9a-f]{12}"/)
    expect(html).toMatch(/<div id="root"><\/div>/)
  })

  it('serves the configured poll interval', async () => {
    const res = await app().request('/config.json')
    expect(await res.json()).toEqual({ pollSeconds: 42 })
  })

  it('serves the ESM builds of preact and htm, immutable only under the current hash', async () => {
    const a = app()
    const html = await (await a.request('/')).text()
    for (const file of ['preact.mjs', 'preact-hooks.mjs', 'htm.mjs', 'htm-preact.mjs']) {
      const url = html.match(new RegExp(`/vendor/${file.replace('.', '\\.')}\\?v=[0-9a-f]+`))![0]
      const res = await a.request(url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      // The ES module build, not the CommonJS one a browser could not import.
      const js = await res.text()
      expect(js).toMatch(/\bexport\b/)
      expect(js).not.toContain('module.exports')
    }
    expect((await a.request('/vendor/preact.mjs?v=old')).headers.get('cache-control')).toBe(
      'no-cache',
    )
    expect((await a.request('/vendor/react.mjs')).status).toBe(404)
  })

  it('serves app files with ETags, answers 304, and gzips when asked', async () => {
    const a = app()
    const first = await a.request('/web/app.js')
    expect(first.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(first.headers.get('cache-control')).toBe('no-cache')
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^W\/"/)
    expect((await a.request('/web/app.js', { headers: { 'If-None-Match': etag } })).status).toBe(
      304,
    )
    const css = await a.request('/web/app.css', { headers: { 'Accept-Encoding': 'gzip, br' } })
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(css.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await css.arrayBuffer())).toString()).toContain(
      'prefers-color-scheme',
    )
  })

  it('never serves anything outside web/', async () => {
    const a = app()
    for (const path of [
      '/web/..%2Flib%2Fweb.ts',
      '/web/%2e%2e%2fpackage.json',
      '/web/index.html',
      '/web/.gitignore',
      '/web/nope.js',
    ]) {
      expect((await a.request(path)).status, path).toBe(404)
    }
  })
})
