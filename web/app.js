// The KPI page: renders at once from the answers the server inlined, then polls (pausing while the
// tab is hidden) and keeps the last good data on screen when a poll fails, saying so.
import { hydrate, render } from 'preact'
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { boot, cached, getJSON, kpiUrl, RANGES, readView, writeView } from './api.js'
import { colour, dark, fmtTime, html, setTimeZone } from './format.js'
import { Kpi, monthDetail } from './kpi.js'
import { Alerts, Goals, NotificationsPanel, RunsPanel, SourcesPanel } from './ops.js'

// Where every KPI sits, grouped as a label thinks about its numbers. A KPI the server has that is not
// listed here still gets a place (under "More"), so a new KPI never silently goes missing.
const ARTIST = { key: 'artist' }
export const SECTIONS = [
  {
    id: 'money',
    title: 'Money',
    kpis: [
      ['revenue-total', { chart: 'bar', colour: 'money' }],
      ['revenue-per-stream', { valueTitle: 'Per stream' }],
      ['payment-lag', {}],
      [
        'revenue-expected-vs-actual',
        {
          wide: true,
          chart: 'bar',
          colour: 'money',
          detail: monthDetail,
          monthTable: true,
          keys: [
            { key: 'value', label: 'Actual' },
            { key: 'expected', label: 'Expected (estimated)', dashed: true, colour: 'var(--muted)' },
          ],
        },
      ],
      ['revenue-by-month', { chart: 'bar', colour: 'money', valueTitle: 'Earnings' }],
      ['revenue-by-store', { valueTitle: 'Earnings' }],
      ['revenue-by-artist', { pick: ARTIST, valueTitle: 'Earnings' }],
      ['revenue-by-track', { top: 10, valueTitle: 'Earnings' }],
      ['revenue-by-country', { top: 10, valueTitle: 'Earnings' }],
    ],
  },
  {
    id: 'streams',
    title: 'Streams',
    kpis: [
      ['streams-total', { chart: 'line', colour: 'streams' }],
      ['streams-daily-average', { chart: 'line', colour: 'streams' }],
      ['streams-growth', { chart: 'bar', colour: 'streams', valueTitle: 'Growth' }],
      ['streams-day-over-day', { valueTitle: 'Difference' }],
      ['streams-by-platform', { wide: true, chart: 'line', height: 220 }],
      ['streams-by-distributor', { chart: 'line' }],
      ['spotify-streams', { pick: ARTIST, chart: 'line', colour: 'spotify' }],
      ['spotify-listeners', { pick: ARTIST, chart: 'line', colour: 'spotify' }],
      ['spotify-followers', { pick: ARTIST, chart: 'line', colour: 'spotify' }],
    ],
  },
  {
    id: 'audience',
    title: 'Audience and marketing',
    kpis: [
      ['tiktok-views', { chart: 'line', colour: 'tiktok' }],
      ['tiktok-engagement', { chart: 'line', colour: 'tiktok' }],
      ['tiktok-followers', { chart: 'line', colour: 'tiktok' }],
      ['instagram-reach', { chart: 'line', colour: 'instagram' }],
      ['youtube-views', { chart: 'line', colour: 'youtube' }],
      ['linktree-clicks', { chart: 'line', colour: 'linktree' }],
      ['email-audience', { chart: 'line', colour: 'email' }],
      ['ad-spend', { chart: 'bar', colour: 'meta', valueTitle: 'Spend' }],
      ['roas', { pick: ARTIST, chart: 'line', colour: 'meta', valueTitle: 'ROAS' }],
      ['cost-per-follower', { pick: ARTIST, valueTitle: 'Per follower' }],
      ['attribution-lag', { chart: false }],
    ],
  },
]
// Operations: goals and alerts are KPIs with their own views (ops.js); sources, runs and
// notifications come from /health, /runs and /notifications.
export const OPS_KPIS = ['goals', 'alerts']
export const LISTED = new Set([...SECTIONS.flatMap((s) => s.kpis.map(([n]) => n)), ...OPS_KPIS])

function initialKpis(names, view, answer = cached) {
  const out = {}
  for (const n of names) out[n] = answer(kpiUrl(n, view))
  return out
}

/**
 * The whole page. `boot` is the server's inlined data ({ config, catalog, kpis }); `first` the view to
 * start from. The server renders this same component to HTML for the first paint (lib/web.ts), so
 * nothing here may touch the DOM outside effects and handlers.
 */
export function App({ boot: BOOT = null, first = null }) {
  const [view, setView] = useState(() => first ?? readView())
  const [names, setNames] = useState(() => BOOT?.catalog ?? [...LISTED])
  const [kpis, setKpis] = useState(() => initialKpis(names, view, (url) => BOOT?.kpis?.[url]?.data))
  const [ops, setOps] = useState({})
  const [status, setStatus] = useState({ at: BOOT ? new Date() : null, error: null, hidden: typeof document !== 'undefined' && document.hidden })
  // The first paint shows every number; charts and tables follow a frame later, so the numbers
  // are not kept waiting on thirty charts measuring their width.
  const [details, setDetails] = useState(false)
  // Two frames: the first frame's callback runs before its paint, the second only after it.
  useEffect(() => void requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => setDetails(true)))), [])
  // The page is live (hydrated, every control wired, charts and tables drawn): automation waits for it.
  useEffect(() => details && document.documentElement.setAttribute('data-live', ''), [details])
  const poll = useRef(BOOT?.config?.pollSeconds ?? 30)
  const generation = useRef(0)

  const refresh = useCallback(async () => {
    const gen = ++generation.current
    const urls = names.map((n) => kpiUrl(n, view))
    const opsUrls = ['/health', '/auth/status', '/runs?limit=20', '/notifications']
    const results = await Promise.allSettled([...urls, ...opsUrls].map(getJSON))
    if (gen !== generation.current) return
    const failed = results.find((r) => r.status === 'rejected')
    setKpis((old) => {
      const next = {}
      names.forEach((n, i) => (next[n] = results[i].status === 'fulfilled' ? results[i].value : old[n]))
      return names.every((n) => next[n] === old[n]) && Object.keys(old).length === names.length ? old : next
    })
    const [health, auth, runs, notes] = results.slice(urls.length).map((r, i) => (r.status === 'fulfilled' ? r.value : ops[opsUrls[i]]))
    setOps((old) => (old.health === health && old.auth === auth && old.runs === runs && old.notes === notes ? old : { health, auth, runs, notes }))
    setStatus({ at: new Date(), error: failed ? failed.reason.message : null, hidden: document.hidden })
  }, [view, names])

  useEffect(() => {
    if (BOOT?.catalog) return
    getJSON('/kpi')
      .then((c) => c?.kpis && setNames(c.kpis.map((k) => k.name)))
      .catch(() => {})
    getJSON('/config.json')
      .then((c) => {
        if (c?.pollSeconds > 0) poll.current = c.pollSeconds
        if (c?.timeZone) setTimeZone(c.timeZone)
      })
      .catch(() => {})
  }, [])

  useEffect(() => {
    let alive = true
    let timer = 0
    const loop = async () => {
      clearTimeout(timer)
      if (document.hidden) return
      await refresh()
      clearTimeout(timer)
      if (alive && !document.hidden) timer = setTimeout(loop, poll.current * 1000)
    }
    const onVisibility = () => {
      setStatus((s) => ({ ...s, hidden: document.hidden }))
      if (document.hidden) clearTimeout(timer)
      else loop()
    }
    document.addEventListener('visibilitychange', onVisibility)
    loop()
    return () => {
      alive = false
      clearTimeout(timer)
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [refresh])

  useEffect(() => {
    const back = () => setView(readView())
    addEventListener('popstate', back)
    return () => removeEventListener('popstate', back)
  }, [])

  const go = (v) => {
    const next = { ...view, ...v }
    writeView(next)
    setKpis(initialKpis(names, next))
    setView(next)
  }
  const pick = (dim, value) => go(dim === 'artist' ? { artist: value, track: null } : { track: value })
  const more = names.filter((n) => !LISTED.has(n))
  const kpi = ([name, spec]) =>
    names.includes(name) && html`<${Kpi} key=${name} name=${name} env=${kpis[name]} spec=${spec} filter=${view} onPick=${pick} details=${details} />`
  const trackTitle = view.track && (kpis['revenue-by-track']?.breakdown ?? []).find((r) => r.key === view.track)?.title

  return html`
    <a class="skip" href="#main">Skip to the numbers</a>
    <header class="top">
      <h1>Bedrot <span>label dashboard</span></h1>
      <nav aria-label="Sections"><ul>
        ${[...SECTIONS, { id: 'ops', title: 'Operations' }].map((s) => html`<li><a href=${`#${s.id}`}>${s.title}</a></li>`)}
      </ul></nav>
      <div class="seg ranges" role="group" aria-label="Date range">
        ${RANGES.map((r) => html`<button type="button" data-range=${r} aria-pressed=${view.days === r} onClick=${() => go({ days: r })}>${r === 'all' ? 'All' : `${r} days`}</button>`)}
      </div>
      ${
        (view.artist || view.track) &&
        html`<div class="filter" data-filter-bar role="status">
        Showing only
        ${
          view.artist &&
          html`<span class="chip"><i class="sw" style=${`--k:${colour(view.artist)}`}></i>${view.artist}
          <button type="button" aria-label=${`Remove the artist filter ${view.artist}`} data-clear="artist" onClick=${() => go({ artist: null })}>×</button></span>`
        }
        ${
          view.track &&
          html`<span class="chip">${trackTitle ?? view.track}
          <button type="button" aria-label=${`Remove the track filter ${trackTitle ?? view.track}`} data-clear="track" onClick=${() => go({ track: null })}>×</button></span>`
        }
      </div>`
      }
      <p class="status" data-status>${statusText(status, poll.current)}</p>
    </header>
    <main id="main" tabindex="-1">
      <${Alerts} env=${kpis.alerts} strip />
      ${SECTIONS.map(
        (s) => html`<section class="group" id=${s.id} aria-labelledby=${`g-${s.id}`}>
        <h2 id=${`g-${s.id}`}>${s.title}</h2>
        <div class="grid">${s.kpis.map(kpi)}</div>
      </section>`,
      )}
      ${
        more.length > 0 &&
        html`<section class="group" id="more" aria-labelledby="g-more"><h2 id="g-more">More</h2>
        <div class="grid">${more.map((n) => kpi([n, {}]))}</div></section>`
      }
      <section class="group" id="ops" aria-labelledby="g-ops">
        <h2 id="g-ops">Operations</h2>
        <div class="grid">
          <${SourcesPanel} health=${ops.health} auth=${ops.auth} onRan=${refresh} />
          ${OPS_KPIS.includes('goals') && names.includes('goals') && html`<${Goals} env=${kpis.goals} />`}
          ${names.includes('alerts') && html`<${Alerts} env=${kpis.alerts} />`}
          <${NotificationsPanel} data=${ops.notes} />
          <${RunsPanel} runs=${ops.runs} />
        </div>
      </section>
    </main>`
}

function statusText({ at, error, hidden }, seconds) {
  if (!at) return 'Loading…'
  const time = fmtTime(at.toISOString(), true)
  if (error) return `Could not refresh (${error}); showing data from ${time}`
  if (hidden) return `Paused while the tab is hidden; data from ${time}`
  return `Updated ${time} · refreshes every ${seconds} s`
}

// In the browser (started by index.html once the server-rendered first screen is painted): take that
// screen over, or render from scratch when the server sent none.
function start() {
  const BOOT = boot()
  if (BOOT?.config?.timeZone) setTimeZone(BOOT.config.timeZone)
  const root = document.getElementById('root')
  const first = readView()
  const app = html`<${App} boot=${BOOT} first=${first} />`
  // Hydration keeps the server's attributes; the one that depends on the reader's colour scheme (the
  // artist chip's swatch) would stay light in dark mode, so that case renders afresh.
  if (root.firstElementChild && !(first.artist && dark())) hydrate(app, root)
  else {
    root.replaceChildren()
    render(app, root)
  }
}
if (typeof document !== 'undefined') start()
