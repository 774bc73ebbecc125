/** mountWeb's routes without a browser: content types, caching, compression and path safety. */
import { Hono } from 'hono'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
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
    // No KPI routes here: nothing to render on the server.
    expect(html).toMatch(/<div id="root"><\/div>/)
  })

  it('serves the configured poll interval', async () => {
    const res = await app().request('/config.json')
    expect(await res.json()).toEqual({ pollSeconds: 42, timeZone: 'UTC' })
  })

  it('serves the ESM builds of preact and htm, immutable only under the current hash', async () => {
    const a = app()
    const html = await (await a.request('/')).text()
    for (const file of ['preact.mjs', 'preact-hooks.mjs', 'htm.mjs']) {
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
    expect((await a.request('/vendor/preact.mjs?v=old')).headers.get('cache-control')).toBe('no-cache')
    expect((await a.request('/vendor/react.mjs')).status).toBe(404)
  })

  it('serves app files with ETags, answers 304, and gzips or brotlis when asked', async () => {
    const a = app()
    const first = await a.request('/web/app.js')
    expect(first.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(first.headers.get('cache-control')).toBe('no-cache')
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^W\/"/)
    expect((await a.request('/web/app.js', { headers: { 'If-None-Match': etag } })).status).toBe(304)
    const css = await a.request('/web/app.css', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(css.headers.get('content-encoding')).toBe('gzip')
    const gz = Buffer.from(await css.arrayBuffer())
    const text = gunzipSync(gz).toString()
    expect(text).toContain('prefers-color-scheme')
    // Brotli when the client takes it (Chromium does, on loopback too): the same bytes, fewer on the wire.
    const br = await a.request('/web/app.css', { headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd' } })
    expect(br.headers.get('content-encoding')).toBe('br')
    const brBytes = Buffer.from(await br.arrayBuffer())
    expect(brotliDecompressSync(brBytes).toString()).toBe(text)
    expect(brBytes.length).toBeLessThan(gz.length)
  })

  it('never serves anything outside web/', async () => {
    const a = app()
    for (const path of ['/web/..%2Flib%2Fweb.ts', '/web/%2e%2e%2fpackage.json', '/web/index.html', '/web/.gitignore', '/web/nope.js']) {
      expect((await a.request(path)).status, path).toBe(404)
    }
  })
})

describe('the first answers inlined in the page', () => {
  // A stand-in KPI route with ETags, so the inlined copy can be compared with what the route serves.
  function withKpis() {
    const a = new Hono()
    a.get('/kpi', (c) => c.json({ kpis: [{ name: 'streams-total' }, { name: 'goals' }] }))
    a.get('/kpi/:name', (c) => {
      const body = { name: c.req.param('name'), query: c.req.query(), note: '</script><b>x</b>' }
      return c.json(body, 200, { ETag: `"${c.req.param('name')}-${c.req.query('days') ?? '-'}-${c.req.query('artist') ?? '-'}"` })
    })
    mountWeb(a, { pollSeconds: 42, timeZone: 'Europe/Berlin' })
    return a
  }
  const bootOf = (html: string) => JSON.parse(/<script id="boot" type="application\/json">(.*?)<\/script>/s.exec(html)![1])

  it('carries each KPI for the URL view under the URL the page asks, with the route ETag', async () => {
    const html = await (await withKpis().request('/?days=90&artist=ZONE%20A0')).text()
    const boot = bootOf(html)
    expect(boot.config).toEqual({ pollSeconds: 42, timeZone: 'Europe/Berlin' })
    expect(boot.catalog).toEqual(['streams-total', 'goals'])
    expect(Object.keys(boot.kpis).sort()).toEqual(['/kpi/goals?artist=ZONE+A0', '/kpi/streams-total?days=90&artist=ZONE+A0'])
    const hit = boot.kpis['/kpi/streams-total?days=90&artist=ZONE+A0']
    expect(hit.etag).toBe('"streams-total-90-ZONE A0"')
    expect(hit.data.query).toEqual({ days: '90', artist: 'ZONE A0' })
    // A KPI text cannot close the script element early.
    expect(html.match(/<\/script>/g)!.length).toBe(html.match(/<script/g)!.length)
    expect(hit.data.note).toBe('</script><b>x</b>')
  })

  it('falls back to the default range for an unknown one and inlines nothing for a bad filter', async () => {
    const a = withKpis()
    expect(Object.keys(bootOf(await (await a.request('/?days=13')).text()).kpis)).toContain('/kpi/streams-total?days=28')
    const bad = bootOf(await (await a.request(`/?track=${'x'.repeat(40)}`)).text())
    expect(bad.kpis).toEqual({})
  })
})

describe('the first screen rendered on the server', () => {
  function withStreams() {
    const a = new Hono()
    a.get('/kpi', (c) => c.json({ kpis: [{ name: 'streams-total' }] }))
    a.get('/kpi/:name', (c) =>
      c.json({ name: 'streams-total', title: 'Streams', unit: 'count', value: 116756, freshness: 'fresh', asOf: '2025-05-27', note: '</p><b>x</b>' }),
    )
    mountWeb(a, { pollSeconds: 42 })
    return a
  }
  const rootOf = (html: string) => /<div id="root">(.*?)<\/div>\n<script id="boot"/s.exec(html)![1]

  it('puts each KPI value in the HTML, formatted in the reader’s locale, its texts escaped', async () => {
    const a = withStreams()
    const en = rootOf(await (await a.request('/', { headers: { 'accept-language': 'en-US,en;q=0.8' } })).text())
    expect(en).toMatch(/<p class="value" elementtiming="kpi-streams-total">116,756<\/p>/)
    expect(en).toContain('&lt;/p>&lt;b>x&lt;/b>')
    expect(en).not.toContain('<b>x</b>')
    const de = rootOf(await (await a.request('/', { headers: { 'accept-language': 'de-DE,de;q=0.9' } })).text())
    expect(de).toContain('>116.756</p>')
  })

  it('renders nothing for a view the routes refuse, leaving the page to say so', async () => {
    const html = await (await withStreams().request(`/?track=${'x'.repeat(40)}`)).text()
    expect(html).toContain('<div id="root"></div>')
  })
})

describe('slimSource', () => {
  it('drops whole-line comments and indentation, and nothing else', async () => {
    const { slimSource } = await import('../../lib/web.ts')
    const src = [
      '// why',
      'const a = 1 // stays',
      '/**',
      ' * doc',
      ' */',
      '  const url = `//not a comment`',
      '/* one */',
      'x = 2 /* inline */ * 3',
      '  * 4',
    ].join('\n')
    expect(slimSource(src)).toBe(['const a = 1 // stays', 'const url = `//not a comment`', 'x = 2 /* inline */ * 3', '* 4', ''].join('\n'))
  })
})
