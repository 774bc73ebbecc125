/**
 * @module The KPI page (DESIGN §8): serves web/ and the Preact/htm ES modules straight from
 * node_modules, so there is no bundler and no build step. The HTML carries the first KPI answers for
 * the URL's view (#boot), read through the app's own /kpi routes and so from the same KPI cache, so
 * the first paint with data needs one round trip; after that the page only talks to the JSON routes.
 */
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib'
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { KpiQuery } from './kpi/window.ts'
import type { Logger } from './log.ts'
import { type FirstScreen, renderFirstScreen } from './web-render.ts'

// Relative to this file, not process.cwd(): the server may be started from any directory.
const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url))

// import.meta.resolve follows each package's `exports` (the browser-loadable ESM build) and survives
// hoisting; createRequire().resolve would pick the CommonJS build a browser cannot import.
const VENDOR: Record<string, string> = {
  'preact.mjs': 'preact',
  'preact-hooks.mjs': 'preact/hooks',
  'htm.mjs': 'htm',
  // Loaded by the page on its first CSV download only (a classic script: Papa Parse has no ES module).
  'papaparse.js': 'papaparse/papaparse.min.js',
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
}

// Flat names only: no slashes or leading dots, so a request can never leave web/.
const APP_FILE = /^[a-z0-9][a-z0-9_-]*\.(js|css|svg)$/i
const IMMUTABLE = 'public, max-age=31536000, immutable'

interface Asset {
  mtimeMs: number
  body: Buffer
  gzip: Buffer
  br: Buffer
  etag: string
  hash: string
}

type Encoded = Pick<Asset, 'body' | 'gzip' | 'etag'> & { br?: Buffer }

/** Both encodings once per file: Chromium asks for br on loopback too; the page’s files are 12% smaller than with gzip -9 (29.1 → 25.7 KB). */
function encodings(body: Buffer): Pick<Asset, 'gzip' | 'br'> {
  return {
    gzip: gzipSync(body, { level: 9 }),
    br: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  }
}

const assets = new Map<string, Asset>()

/** Reads a file once per modification; keeps its compressed copies so polling clients never pay twice. */
async function load(path: string, slim = false): Promise<Asset | null> {
  const info = await stat(path).catch(() => null)
  if (!info?.isFile()) return null
  const hit = assets.get(path)
  if (hit && hit.mtimeMs === info.mtimeMs) return hit
  const body = slim ? Buffer.from(slimSource((await readFile(path)).toString('utf8'))) : await readFile(path)
  const hash = createHash('sha1').update(body).digest('hex').slice(0, 12)
  // Weak ETag: the gzip and identity bodies are the same resource, not byte-identical.
  const asset = {
    mtimeMs: info.mtimeMs,
    body,
    ...encodings(body),
    etag: `W/"${hash}"`,
    hash,
  }
  assets.set(path, asset)
  return asset
}

function send(c: Context, asset: Encoded, type: string, cache: string) {
  const headers: Record<string, string> = {
    ETag: asset.etag,
    'Cache-Control': cache,
    Vary: 'Accept-Encoding',
  }
  const inm = c.req.header('if-none-match')
  if (inm?.split(',').some((t) => t.trim() === asset.etag)) return c.body(null, 304, headers)
  headers['Content-Type'] = type
  const accept = c.req.header('accept-encoding') ?? ''
  const encoding = asset.br && /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null
  if (encoding) headers['Content-Encoding'] = encoding
  return c.body(new Uint8Array(encoding ? asset[encoding]! : asset.body), 200, headers)
}

function vendorPath(file: string): string | null {
  const spec = VENDOR[file]
  return spec ? fileURLToPath(import.meta.resolve(spec)) : null
}

/**
 * The index page with vendor URLs stamped with their content hash, so vendor files can be cached
 * for a year and still change the moment preact or htm is upgraded. When given, the API token goes
 * into a meta tag: the page's own scripts can read it, a foreign page cannot read this response.
 */
const indexes = new Map<string, Encoded>()
async function indexPage(token: string | null): Promise<Encoded | null> {
  const page = await load(join(WEB_DIR, 'index.html'))
  if (!page) return null
  const hashes = await Promise.all(Object.keys(VENDOR).map(async (f) => [f, (await load(vendorPath(f)!))?.hash] as const))
  const key = [page.hash, ...hashes.map(([, h]) => h), token ?? ''].join()
  const hit = indexes.get(key)
  if (hit) return hit
  let html = page.body.toString('utf8')
  for (const [file, hash] of hashes) if (hash) html = html.replaceAll(`/vendor/${file}"`, `/vendor/${file}?v=${hash}"`)
  if (token) html = html.replace('<head>', `<head>\n<meta name="bedrot-api-token" content="${escapeAttr(token)}">`)
  const body = Buffer.from(html)
  const etag = `W/"${createHash('sha1').update(body).digest('hex').slice(0, 12)}"`
  const built = { body, ...encodings(body), etag }
  indexes.clear()
  indexes.set(key, built)
  return built
}

/**
 * The app's own JS and CSS without whole-line comments and indentation: the comments are for people
 * reading web/, and leaving them out keeps the page inside its 30 KB budget with no build step. Only
 * lines that are entirely a comment go (web/ never starts a line inside a string with `//` or `*`), so
 * code is served exactly as written.
 */
export function slimSource(text: string): string {
  const out: string[] = []
  let block = false
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (block) {
      if (line.includes('*/')) block = false
      continue
    }
    if (line.startsWith('/*')) {
      if (!line.includes('*/')) block = true
      if (!line.includes('*/') || line.endsWith('*/')) continue
    }
    if (line === '' || line.startsWith('//')) continue
    out.push(line)
  }
  return `${out.join('\n')}\n`
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}

export interface WebOptions {
  pollSeconds: number
  /** BEDROT_TZ: the page shows dates and times in it. */
  timeZone?: string
  /** The API token to hand this request's page, or null (lib/http/guard.ts decides). */
  token?: (c: Context) => string | null
  log?: Logger
}

export function mountWeb(app: Hono, opts: WebOptions): void {
  const config = { pollSeconds: opts.pollSeconds, timeZone: opts.timeZone ?? 'UTC' }
  app.get('/', async (c) => {
    const token = opts.token?.(c) ?? null
    const page = await indexPage(token)
    if (!page) return c.notFound()
    // The inlined answers are asked as this request asked for the page: same host, same credentials.
    const auth = token ? `Bearer ${token}` : c.req.header('authorization')
    const { boot, view } = await bootData(app, config, c.req.url, auth ? { authorization: auth } : {})
    // The first screen is rendered only when the KPI answers are there to fill it (a bad view has none).
    const screen = view ? await renderFirstScreen({ boot, view, acceptLanguage: c.req.header('accept-language') }, opts.log) : ''
    // '<' escaped: a KPI string containing '</script>' must not end the script element.
    const data = `<script id="boot" type="application/json">${JSON.stringify(boot).replace(/</g, '\\u003c')}</script>`
    const html = page.body.toString('utf8').replace('<div id="root"></div>', () => `<div id="root">${screen}</div>`)
    const body = Buffer.from(html.replace('<!--BOOT-->', () => data))
    const etag = `W/"${createHash('sha1').update(body).digest('hex').slice(0, 12)}"`
    // A page carrying the token is never written to the browser's disk cache.
    return send(c, { body, gzip: gzipSync(body, { level: 6 }), etag }, TYPES['.html'], token ? 'no-store' : 'no-cache')
  })

  app.get('/config.json', (c) => c.json(config, 200, { 'Cache-Control': 'no-cache' }))

  app.get('/vendor/:file', async (c) => {
    const path = vendorPath(c.req.param('file'))
    const asset = path && (await load(path))
    if (!asset) return c.notFound()
    // Only a URL carrying the current content hash may be cached forever; anything else revalidates.
    const cache = c.req.query('v') === asset.hash ? IMMUTABLE : 'no-cache'
    return send(c, asset, TYPES['.mjs'], cache)
  })

  // App files change with every deploy and are imported by relative path, so they revalidate by ETag.
  app.get('/web/:file', async (c) => {
    const file = c.req.param('file')
    if (!APP_FILE.test(file)) return c.notFound()
    const asset = await load(join(WEB_DIR, file), true)
    if (!asset) return c.notFound()
    return send(c, asset, TYPES[extname(file).toLowerCase()], 'no-cache')
  })
}

const DAYS = z.enum(['7', '28', '90', '365', 'all']).catch('28')

/**
 * The inlined answers, keyed by the URL the page itself would ask (web/api.js kpiUrl builds the same
 * string), with their ETags so the page's first poll is a row of 304s. A bad query inlines nothing:
 * the page then asks the routes and shows their error.
 */
async function bootData(
  app: Hono,
  config: FirstScreen['boot']['config'],
  pageUrl: string,
  headers: Record<string, string>,
): Promise<{ boot: FirstScreen['boot']; view: FirstScreen['view'] | null }> {
  const params = new URL(pageUrl).searchParams
  const days = DAYS.parse(params.get('days') ?? '28')
  const filter = { artist: params.get('artist') || undefined, track: params.get('track') || undefined }
  const view = KpiQuery.safeParse({ days, ...filter })
  const listed = await app.request(new URL('/kpi', pageUrl).href, { headers })
  const catalog = listed.ok ? ((await listed.json()) as { kpis?: { name: string }[] }) : null
  const shown = { days, artist: filter.artist ?? null, track: filter.track ?? null }
  if (!catalog?.kpis) return { boot: { config }, view: null }
  const names = catalog.kpis.map((k) => k.name)
  const kpis: Record<string, { etag: string | null; data: unknown }> = {}
  if (view.success) {
    await Promise.all(
      names.map(async (name) => {
        const q = new URLSearchParams()
        if (name !== 'goals' && name !== 'alerts') q.set('days', days)
        if (filter.artist) q.set('artist', filter.artist)
        if (filter.track) q.set('track', filter.track)
        const url = `/kpi/${name}${q.size ? `?${q}` : ''}`
        const res = await app.request(new URL(url, pageUrl).href, { headers })
        if (res.ok) kpis[url] = { etag: res.headers.get('ETag'), data: await res.json() }
      }),
    )
  }
  return { boot: { config, catalog: names, kpis }, view: view.success ? shown : null }
}
