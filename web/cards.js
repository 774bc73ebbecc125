// KPI cards, the alerts strip and goals. A card shows only what the KPI response says: a null value is
// "not reported yet" (never 0) and the change is shown only when the server sent the previous period.
import { html } from 'htm/preact'
import { fmt, fmtKey, fmtShare, fmtSigned, label, num } from './format.js'

export const CARDS = [
  'streams-total',
  'streams-daily-average',
  'streams-growth',
  'streams-day-over-day',
  'revenue-total',
  'spotify-listeners',
  'spotify-followers',
  'spotify-streams',
  'tiktok-views',
  'ad-spend',
  'roas',
]
// Breakdown rows worth a line on the card (week vs month growth, per-artist audience numbers).
const DETAIL = new Set(['streams-growth', 'streams-day-over-day', 'spotify-listeners', 'spotify-followers', 'tiktok-views'])
// Costs: a rise is not good news, so their change is not coloured as one.
const COSTS = new Set(['ad-spend'])

const FRESH = { fresh: 'fresh', warn: 'getting old', stale: 'stale', empty: 'no data' }

export function Badge({ env }) {
  const title = env.asOf ? `newest data: ${env.asOf}` : 'no data reported yet'
  return html`<span class="badge ${env.freshness}" title=${title} data-badge=${env.freshness}>
    ${FRESH[env.freshness] ?? env.freshness}${env.asOf ? ` · ${fmtKey(env.asOf)}` : ''}
  </span>`
}

function Change({ env, cost }) {
  const { value, previous, unit } = env
  let delta = null
  let rel = null
  if (num(value) && num(previous)) {
    delta = value - previous
    rel = previous !== 0 && unit !== 'percent' ? delta / Math.abs(previous) : null
  } else if (num(env.change)) rel = env.change
  else return null
  const sign = Math.sign(rel ?? delta)
  const dir = sign > 0 ? 'up' : sign < 0 ? 'down' : 'flat'
  const abs = delta === null ? '' : unit === 'percent' ? `${fmtSigned(delta, 'number')} pts` : fmtSigned(delta, unit)
  return html`<p class="change ${dir}${cost ? ' cost' : ''}" data-change>
    <span aria-hidden="true">${sign > 0 ? '▲' : sign < 0 ? '▼' : '■'}</span>
    ${rel !== null ? ` ${fmtShare(rel, true)}` : ''}${rel !== null && abs ? ` (${abs})` : abs ? ` ${abs}` : ''}
    <span class="muted"> vs previous period</span>
  </p>`
}

export function Card({ name, env }) {
  if (env === null) return null
  if (env === undefined) {
    return html`<article class="card loading" data-kpi=${name} aria-busy="true"><div class="skeleton"></div></article>`
  }
  const shown = fmt(env.value, env.unit)
  const rows = DETAIL.has(name) ? (env.breakdown ?? []).filter((r) => num(r.value)).slice(0, 3) : []
  return html`<article class="card" data-kpi=${name} data-freshness=${env.freshness}>
    <header>
      <h3>${env.title ?? label(name)}</h3>
      <${Badge} env=${env} />
    </header>
    <p class=${shown === null ? 'value none' : 'value'}>${shown ?? 'not reported yet'}</p>
    ${shown !== null && html`<${Change} env=${env} cost=${COSTS.has(name)} />`}
    ${rows.length > 0 &&
    html`<ul class="mini">
      ${rows.map((r) => html`<li><span>${label(r.key)}</span> <b>${fmt(r.value, r.unit ?? env.unit)}</b></li>`)}
    </ul>`}
    ${(env.estimated || env.note) &&
    html`<p class="meta">${env.estimated && html`<span class="est-tag">estimated</span> `}${env.note ?? ''}</p>`}
  </article>`
}

export function Cards({ kpis }) {
  return html`<section class="cards" aria-label="Key numbers">
    ${CARDS.map((name) => html`<${Card} key=${name} name=${name} env=${kpis[name]} />`)}
  </section>`
}

export function Alerts({ env }) {
  const rows = (env?.breakdown ?? []).filter((r) => r.message || r.key)
  if (!rows.length) return null
  return html`<section class="alerts" aria-label="Alerts" data-panel="alerts">
    <ul>
      ${rows.map((r) => html`<li class="alert ${r.level ?? ''}"><b>${r.level ?? 'alert'}</b> ${r.message ?? label(r.key)}</li>`)}
    </ul>
  </section>`
}

export function Goals({ env }) {
  if (!env) return null
  const rows = env.breakdown ?? []
  return html`<section class="panel goals" data-panel="goals">
    <header><h2>${env.title ?? 'Goals'}</h2><${Badge} env=${env} /></header>
    ${!rows.length
      ? html`<p class="empty">${env.note ?? 'No goals reported yet.'}</p>`
      : html`<ul>
          ${rows.map((r) => {
            const pct = env.unit === 'percent' && num(r.value) ? Math.max(0, Math.min(100, r.value)) : null
            const of = num(r.actual) && num(r.target) && r.unit ? `${fmt(r.actual, r.unit)} of ${fmt(r.target, r.unit)}` : ''
            return html`<li data-goal=${r.key}>
              <div class="goal-head">
                <span>${label(r.key)}</span>
                <b>${fmt(r.value, env.unit) ?? 'not reported yet'}</b>
                ${r.status && html`<span class="pill ${r.status}">${String(r.status).replace(/_/g, ' ')}</span>`}
              </div>
              ${pct !== null && html`<div class="bar-track"><div class="bar-fill ${r.status ?? ''}" style=${`width:${pct}%`}></div></div>`}
              ${of && html`<p class="muted">${of}</p>`}
            </li>`
          })}
        </ul>`}
  </section>`
}
