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
const DETAIL = new Set([
  'streams-growth',
  'streams-day-over-day',
  'spotify-listeners',
  'spotify-followers',
  'tiktok-views',
])
// Costs: a rise is not good news, so their change is not coloured as one.
const COSTS = new Set(['ad-spend'])
// Day over day is itself a difference, so it carries a sign and compares with one day, not a window.
const DELTAS = new Set(['streams-day-over-day'])

const FRESH = { fresh: 'fresh', warn: 'getting old', stale: 'stale', empty: 'no data' }

/** Text with `backticked` parts (commands in server messages) shown as code. */
export function rich(text) {
  return String(text ?? '')
    .split('`')
    .map((part, i) => (i % 2 ? html`<code>${part}</code>` : part))
}

// Statuses arrive as 'needs_auth' or 'DUE_SOON'; the class is lower case, the text has spaces.
export const Pill = ({ status }) =>
  html`<span class="pill ${String(status).toLowerCase()}">
    ${String(status).replace(/_/g, ' ')}
  </span>`

export function Badge({ env }) {
  const title = env.asOf ? `newest data: ${env.asOf}` : 'no data reported yet'
  const when = env.asOf ? ` · ${fmtKey(env.asOf)}` : ''
  // Prefixed classes: 'empty' alone would pick up the empty-state box style.
  return html`<span class="badge f-${env.freshness}" title=${title} data-badge=${env.freshness}>
    ${FRESH[env.freshness] ?? env.freshness}${when}
  </span>`
}

function Change({ env, cost, vs }) {
  const { value, previous, unit } = env
  let delta = null
  let rel = null
  if (num(value) && num(previous)) {
    delta = value - previous
    // A relative change of a percentage reads badly; percentages get the point difference only.
    rel = previous !== 0 && unit !== 'percent' ? delta / Math.abs(previous) : null
  } else if (num(env.change)) rel = env.change
  else return null
  const sign = Math.sign(rel ?? delta)
  const dir = sign > 0 ? 'up' : sign < 0 ? 'down' : 'flat'
  const abs =
    delta === null ? '' : unit === 'percent' ? `${fmtSigned(delta)} pts` : fmtSigned(delta, unit)
  const text = rel === null ? abs : abs ? `${fmtShare(rel, true)} (${abs})` : fmtShare(rel, true)
  return html`<p class="change ${dir}${cost ? ' cost' : ''}" data-change>
    ${sign > 0 ? '▲' : sign < 0 ? '▼' : '■'} ${text}
    <span class="muted"> vs ${vs}</span>
  </p>`
}

export function Card({ name, env }) {
  if (env === null) return null
  if (env === undefined) {
    return html`<article class="card" data-kpi=${name} aria-busy="true">
      <div class="skeleton"></div>
    </article>`
  }
  const delta = DELTAS.has(name)
  const shown = num(env.value) ? (delta ? fmtSigned : fmt)(env.value, env.unit) : null
  const rows = DETAIL.has(name) ? (env.breakdown ?? []).filter((r) => num(r.value)).slice(0, 3) : []
  const row = (r) =>
    html`<li>${label(r.key)} <b>${(delta ? fmtSigned : fmt)(r.value, r.unit ?? env.unit)}</b></li>`
  return html`<article class="card" data-kpi=${name} data-freshness=${env.freshness}>
    <header>
      <h3>${env.title ?? label(name)}</h3>
      <${Badge} env=${env} />
    </header>
    <p class=${shown === null ? 'value none' : 'value'}>${shown ?? 'not reported yet'}</p>
    ${
      shown !== null &&
      html`<${Change} env=${env} cost=${COSTS.has(name)}
        vs=${delta ? 'the day before' : 'previous period'} />`
    }
    ${rows.length > 0 && html`<ul class="mini">${rows.map(row)}</ul>`}
    ${
      (env.estimated || env.note) &&
      html`<p class="meta">
      ${env.estimated && html`<span class="est-tag">estimated</span> `}${env.note}
    </p>`
    }
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
  const item = (r) => html`<li class=${r.level}>
    <b>${r.level ?? 'alert'}</b> ${r.message ? rich(r.message) : label(r.key)}
  </li>`
  return html`<section class="alerts" aria-label="Alerts" data-panel="alerts">
    <ul>${rows.map(item)}</ul>
  </section>`
}

function Goal({ r, unit }) {
  const pct = unit === 'percent' && num(r.value) ? Math.max(0, Math.min(100, r.value)) : null
  const of =
    num(r.actual) &&
    num(r.target) &&
    r.unit &&
    `${fmt(r.actual, r.unit)} of ${fmt(r.target, r.unit)}`
  return html`<li data-goal=${r.key}>
    <div class="goal-head">
      <span>
        ${label(r.key)}${r.period && html`<span class="muted"> · ${fmtKey(r.period)}</span>`}
      </span>
      <b>${fmt(r.value, unit) ?? 'not reported yet'}</b>
      ${r.status && html`<${Pill} status=${r.status} />`}
    </div>
    ${
      pct !== null &&
      html`<div class="bar-track">
      <div class="bar-fill ${r.status}" style=${`width:${pct}%`}></div>
    </div>`
    }
    ${of && html`<p class="muted">${of}</p>`}
  </li>`
}

export function Goals({ env }) {
  if (!env) return null
  const rows = env.breakdown ?? []
  return html`<section class="panel goals" data-panel="goals">
    <header><h2>${env.title ?? 'Goals'}</h2><${Badge} env=${env} /></header>
    ${
      rows.length
        ? html`<ul>${rows.map((r) => html`<${Goal} r=${r} unit=${env.unit} />`)}</ul>`
        : html`<p class="empty">${env.note ?? 'No goals reported yet.'}</p>`
    }
  </section>`
}
