// The KPI page: polls the KPI functions and the health routes, pauses while the tab is hidden, and
// keeps the last good data on screen when a poll fails (saying so) rather than blanking it.
import { render } from 'preact'
import { html } from 'htm/preact'
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { getJSON } from './api.js'
import { Alerts, Cards, CARDS, Goals } from './cards.js'
import { AdsPanel, RevenuePanel, SocialPanel, StreamsPanel } from './panels.js'
import { RunsPanel, SourcesPanel } from './sources.js'

const RANGES = ['7', '28', '90', '365', 'all']
const WINDOWED = [
  ...CARDS,
  'streams-by-platform',
  'streams-by-distributor',
  'revenue-by-month',
  'revenue-expected-vs-actual',
]
// Goals run on their own monthly targets and alerts on fixed thresholds, not on the picked range.
const UNWINDOWED = ['goals', 'alerts']

function initialRange() {
  const saved = localStorage.getItem('range')
  return RANGES.includes(saved) ? saved : '28'
}

function App() {
  const [range, setRange] = useState(initialRange)
  const [kpis, setKpis] = useState({})
  const [ops, setOps] = useState({ health: undefined, auth: undefined, runs: undefined })
  const [status, setStatus] = useState({ at: null, error: null, hidden: document.hidden })
  const poll = useRef(30)
  const catalog = useRef(null)
  const generation = useRef(0)

  useEffect(() => {
    getJSON('/config.json')
      .then((c) => c?.pollSeconds > 0 && (poll.current = c.pollSeconds))
      .catch(() => {})
    // Once the catalogue is known, KPIs that are not implemented yet are no longer asked for.
    getJSON('/kpi')
      .then((c) => c?.kpis && (catalog.current = new Set(c.kpis.map((k) => k.name))))
      .catch(() => {})
  }, [])

  const refresh = useCallback(async () => {
    const gen = ++generation.current
    const names = [...WINDOWED, ...UNWINDOWED].filter(
      (n) => !catalog.current || catalog.current.has(n),
    )
    const urls = names.map((n) => `/kpi/${n}${UNWINDOWED.includes(n) ? '' : `?days=${range}`}`)
    const results = await Promise.allSettled(
      [...urls, '/health', '/auth/status', '/runs?limit=20'].map(getJSON),
    )
    // A range switch or a "run now" started a newer refresh; its answers win.
    if (gen !== generation.current) return
    const failed = results.find((r) => r.status === 'rejected')
    setKpis((old) => {
      const next = {}
      for (const n of [...WINDOWED, ...UNWINDOWED])
        next[n] = catalog.current && !catalog.current.has(n) ? null : old[n]
      names.forEach((n, i) => results[i].status === 'fulfilled' && (next[n] = results[i].value))
      // Same objects back from 304s: keep the old state so nothing re-renders.
      return Object.keys(next).every((k) => next[k] === old[k]) ? old : next
    })
    const [health, auth, runs] = results.slice(names.length)
    setOps((old) => {
      const keep = (r, prev) => (r.status === 'fulfilled' ? r.value : prev)
      const next = {
        health: keep(health, old.health),
        auth: keep(auth, old.auth),
        runs: keep(runs, old.runs),
      }
      return next.health === old.health && next.auth === old.auth && next.runs === old.runs
        ? old
        : next
    })
    setStatus({ at: new Date(), error: failed ? failed.reason.message : null, hidden: false })
  }, [range])

  useEffect(() => {
    let alive = true
    let timer = 0
    const loop = async () => {
      clearTimeout(timer)
      if (document.hidden) return
      await refresh()
      // Clear again: coming back to the tab can start a second loop while this one was waiting.
      clearTimeout(timer)
      if (alive && !document.hidden) timer = setTimeout(loop, poll.current * 1000)
    }
    // Hidden tabs do not poll; coming back refreshes at once instead of waiting out the interval.
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

  const pick = (r) => {
    localStorage.setItem('range', r)
    setRange(r)
  }

  return html`
    <header class="top">
      <h1>Bedrot <span>label dashboard</span></h1>
      <div class="seg ranges" role="group" aria-label="Date range">
        ${RANGES.map(
          (r) => html`<button type="button" data-range=${r} aria-pressed=${range === r}
            onClick=${() => pick(r)}>${r === 'all' ? 'All' : `${r} days`}</button>`,
        )}
      </div>
      <p class="status" data-status>${statusText(status, poll.current)}</p>
    </header>
    <main>
      <${Alerts} env=${kpis.alerts} />
      <${Cards} kpis=${kpis} />
      <div class="panels">
        <${StreamsPanel} kpis=${kpis} />
        <${RevenuePanel} kpis=${kpis} />
        <${SocialPanel} kpis=${kpis} />
        <${AdsPanel} kpis=${kpis} />
        <${SourcesPanel} health=${ops.health} sessions=${ops.auth?.sessions} onRan=${refresh} />
        <${Goals} env=${kpis.goals} />
        <${RunsPanel} runs=${ops.runs} />
      </div>
    </main>`
}

function statusText({ at, error, hidden }, seconds) {
  if (!at) return 'Loading…'
  const time = at.toLocaleTimeString()
  if (error) return `Could not refresh (${error}); showing data from ${time}`
  if (hidden) return `Paused while the tab is hidden; data from ${time}`
  return `Updated ${time} · refreshes every ${seconds} s`
}

render(html`<${App} />`, document.getElementById('root'))
