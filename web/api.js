// HTTP for the page. Every GET is conditional: each URL keeps its ETag and last body, so a poll that
// changes nothing costs a 304 and hands back the very same object (the app then skips re-rendering).
// The server inlines the first answers in the HTML (#boot), so the first paint needs no request.
const seen = new Map()

/** The data the server inlined: { config, catalog, kpis: { url: { etag, data } } } or null. */
export function boot() {
  const el = document.getElementById('boot')
  if (!el) return null
  try {
    const b = JSON.parse(el.textContent)
    for (const [url, hit] of Object.entries(b.kpis ?? {})) seen.set(url, hit)
    return b
  } catch {
    return null
  }
}
export const cached = (url) => seen.get(url)?.data

/** The URL of a KPI for a view; lib/web.ts builds the same string for the inlined answers. */
export function kpiUrl(name, view) {
  const p = new URLSearchParams()
  if (name !== 'goals' && name !== 'alerts') p.set('days', view.days)
  if (view.artist) p.set('artist', view.artist)
  if (view.track) p.set('track', view.track)
  const q = p.toString()
  return `/kpi/${name}${q ? `?${q}` : ''}`
}
// The API token: put in the page by the server (loopback), or given once as `#token=…` in the URL
// (a server bound beyond loopback) and kept for this tab only.
function apiToken() {
  const meta = document.querySelector('meta[name="bedrot-api-token"]')?.getAttribute('content')
  if (meta) return meta
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash)
  if (m) {
    sessionStorage.setItem('bedrot-api-token', decodeURIComponent(m[1]))
    history.replaceState(null, '', location.pathname + location.search)
  }
  return sessionStorage.getItem('bedrot-api-token')
}
const TOKEN = typeof document === 'undefined' ? null : apiToken()
const auth = TOKEN ? { Authorization: `Bearer ${TOKEN}` } : {}

async function errorMessage(res) {
  try {
    const body = await res.json()
    return body?.error?.message ?? `${res.status} ${res.statusText}`
  } catch {
    return `${res.status} ${res.statusText}`
  }
}

/** The JSON at `url`; null when the route does not exist (yet), so its widget can be hidden. */
export async function getJSON(url) {
  const hit = seen.get(url)
  // no-store: the browser's own cache would answer the revalidation itself and hide the 304 from us.
  const headers = hit?.etag ? { ...auth, 'If-None-Match': hit.etag } : { ...auth }
  const res = await fetch(url, { cache: 'no-store', headers })
  if (res.status === 304 && hit) return hit.data
  if (res.status === 404) return null
  if (!res.ok) throw new Error(await errorMessage(res))
  const data = await res.json()
  seen.set(url, { etag: res.headers.get('ETag'), data })
  return data
}

/** Runs a source now; resolves to the run report, or `{ status: 'busy' }` when it is already running. */
export async function postRun(source) {
  const res = await fetch(`/run/${encodeURIComponent(source)}`, { method: 'POST', headers: auth })
  if (res.status === 409) return { status: 'busy', message: await errorMessage(res) }
  if (!res.ok) throw new Error(await errorMessage(res))
  return res.json()
}

// The view (range, artist, track) lives in the URL, so a filtered view can be bookmarked and survives
// a reload; back/forward walk through filters.
export const RANGES = ['7', '28', '90', '365', 'all']

export function readView() {
  const q = new URLSearchParams(location.search)
  const days = RANGES.includes(q.get('days')) ? q.get('days') : '28'
  return { days, artist: q.get('artist') || null, track: q.get('track') || null }
}

export function writeView(v) {
  const q = new URLSearchParams()
  if (v.days !== '28') q.set('days', v.days)
  if (v.artist) q.set('artist', v.artist)
  if (v.track) q.set('track', v.track)
  const s = q.toString()
  history.pushState(null, '', s ? `?${s}` : location.pathname)
}
