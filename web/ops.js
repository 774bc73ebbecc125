// Operations: source health (from /health, old or new shape), the "log in again" box (only while a
// login is needed), recent runs, notifications, alerts and goals.
import { useEffect, useState } from 'preact/hooks'
import { postRun } from './api.js'
import { fmt, fmtAgo, fmtDuration, fmtKey, fmtTime, html, label, num } from './format.js'
import { Badge, Pill, rich } from './kpi.js'

const NEEDS_LOGIN = new Set(['expired', 'missing', 'needs_auth', 'invalid'])
const RELOGIN = { expired: 0, missing: 1, needs_auth: 1, invalid: 1, expiring: 2 }
const Ago = ({ iso }) => html`<span title=${fmtTime(iso)}>${fmtAgo(iso)}</span>`
const join = (...parts) => parts.filter(Boolean).join(' · ')
const account = (s) => (s.account && s.account !== 'default' ? `account ${s.account}` : '')
const daysLeft = (s) => (num(s.daysLeft) && (s.status === 'valid' || s.status === 'expiring') ? `${s.daysLeft} days left` : '')

/** A source's freshness whether /health sends 'stale' or { status: 'stale', newestDate, … }. */
function freshOf(s) {
  const f = s.freshness
  const status = typeof f === 'string' ? f : (f?.status ?? f?.level ?? f?.state ?? null)
  return { status, newest: s.newestDate ?? f?.newestDate ?? f?.newest ?? f?.date ?? null }
}
/** Sessions from /auth/status, /health's list, or per-source sessions (newer /health). */
function sessionsOf(health, auth) {
  if (auth?.sessions) return auth.sessions
  if (Array.isArray(health?.sessions)) return health.sessions
  return (health?.sources ?? []).flatMap((s) => (s.sessions ?? (s.session ? [s.session] : [])).map((x) => ({ source: s.source, ...x })))
}

/** The badge: never "ok" while a login is needed, a run failed or data is stale. */
export function overall(health, sessions) {
  if (!health) return null
  const bad = []
  if (sessions.some((s) => NEEDS_LOGIN.has(s.status))) bad.push('login needed')
  for (const s of health.sources ?? []) {
    const f = freshOf(s).status
    if (f === 'stale') bad.push(`${label(s.source)} data stale`)
    if (['failed', 'crashed', 'needs_auth'].includes(s.lastRun?.status)) bad.push(`${label(s.source)} ${s.lastRun.status.replace('_', ' ')}`)
  }
  const status = String(health.status ?? 'ok').toLowerCase()
  if (!bad.length && status === 'ok') return { status: 'ok', why: 'every source is up to date' }
  return { status: status === 'ok' || status === 'warn' ? 'attention' : status, why: bad.join(', ') || status }
}

function RunButton({ source, running, onDone }) {
  const [state, setState] = useState(null)
  const [, tick] = useState(0)
  const busy = state?.busy || running
  useEffect(() => {
    if (!state?.busy) return
    const t = setInterval(() => tick((n) => n + 1), 1000)
    return () => clearInterval(t)
  }, [state?.busy])
  const click = async () => {
    setState({ busy: true, since: Date.now() })
    try {
      const r = await postRun(source)
      setState({ status: r.status, message: r.message ?? r.status })
    } catch (e) {
      setState({ status: 'failed', message: e.message })
    }
    onDone()
  }
  const secs = state?.busy ? Math.floor((Date.now() - state.since) / 1000) : 0
  return html`<div class="run">
    <button type="button" data-run=${source} disabled=${busy} onClick=${click} aria-label=${`Run now: ${label(source)}`}>
      ${busy ? html`<i class="spin"></i> Running${secs ? ` ${secs}s` : '…'}` : 'Run now'}
    </button>
    ${state?.message && html`<span class=${`run-msg ${state.status}`} role="status" data-run-result=${source}>${state.message}</span>`}
  </div>`
}

function Source({ s, sessions, onRan }) {
  const run = s.lastRun
  const mine = sessions.filter((x) => x.source === s.source)
  const f = freshOf(s)
  return html`<li data-source=${s.source}>
    <div class="src-head"><b>${label(s.source)}</b><${RunButton} source=${s.source} running=${s.running} onDone=${onRan} /></div>
    <dl>
      <dt>Last run</dt>
      <dd>${run ? html`<${Pill} status=${run.status} /> <${Ago} iso=${run.started_at} />${run.message && html` <span class="msg">${rich(run.message)}</span>`}` : html`<span class="muted">never</span>`}</dd>
      <dt>Data</dt>
      <dd>${f.status ? html`<${Badge} env=${{ freshness: f.status, asOf: f.newest }} />` : f.newest ? `newest ${fmtKey(f.newest, true)}` : html`<span class="muted">none yet</span>`}</dd>
      <dt>Login</dt>
      <dd>${mine.length ? mine.map((x) => html`<span class=${`sess ${x.status}`}>${join(x.status, daysLeft(x), account(x))}</span> `) : html`<span class="muted">not needed</span>`}</dd>
    </dl>
  </li>`
}

export function SourcesPanel({ health, auth, onRan }) {
  if (health === null) return null
  const sessions = sessionsOf(health, auth)
  const state = overall(health, sessions)
  const login = sessions.filter((s) => s.status in RELOGIN && (NEEDS_LOGIN.has(s.status) || s.status === 'expiring'))
  const commands = sessions.map((s) => s.command).filter(Boolean)
  const warnings = (health?.warnings ?? [])
    .map((w) => (typeof w === 'string' ? w : (w?.message ?? '')))
    .filter((w) => w && !commands.some((c) => w.includes(c)))
  return html`<section class="kpi wide" data-panel="sources" aria-labelledby="h-sources">
    <header><h3 id="h-sources">Sources</h3>${state && html`<span data-sources-status=${state.status} title=${state.why}><${Pill} status=${state.status} /></span>`}
      ${state && state.status !== 'ok' && html`<span class="muted">${state.why}</span>`}</header>
    ${
      health === undefined
        ? html`<p class="empty">Loading…</p>`
        : html`<ul class="sources">${(health.sources ?? []).map((s) => html`<${Source} s=${s} sessions=${sessions} onRan=${onRan} />`)}</ul>
          ${warnings.length > 0 && html`<ul class="warnings">${warnings.map((w) => html`<li>${rich(w)}</li>`)}</ul>`}
          ${
            login.length > 0 &&
            html`<div class="relogin" data-relogin role="region" aria-label="Log in again">
            <h4>Log in again</h4>
            <ul>${login
              .sort((a, b) => RELOGIN[a.status] - RELOGIN[b.status])
              .map(
                (s) => html`<li data-session=${s.source}>
              <b>${label(s.source)}</b> <${Pill} status=${s.status} /> <span class="muted">${join(daysLeft(s), account(s))}</span>
              <code>${s.command}</code></li>`,
              )}</ul>
          </div>`
          }`
    }
  </section>`
}

export function RunsPanel({ runs }) {
  if (runs === null) return null
  const list = runs?.runs ?? []
  const item = (r) => html`<li data-run-id=${r.id}>
    <div><${Pill} status=${r.status} /> <b>${label(r.source)}</b><span class="muted"> ${r.trigger}</span></div>
    <div class="muted"><${Ago} iso=${r.started_at} />${r.finished_at && ` · ${fmtDuration(r.started_at, r.finished_at)}`}</div>
    ${r.message && html`<p class="msg">${rich(r.message)}</p>`}
  </li>`
  return html`<section class="kpi" data-panel="runs" aria-labelledby="h-runs">
    <header><h3 id="h-runs">Recent runs</h3></header>
    ${runs === undefined ? html`<p class="empty">Loading…</p>` : list.length ? html`<ul class="runs">${list.slice(0, 8).map(item)}</ul>` : html`<p class="empty">No runs yet.</p>`}
  </section>`
}

export function NotificationsPanel({ data }) {
  if (!data) return null
  const list = Array.isArray(data) ? data : (data.notifications ?? data.items ?? [])
  const item = (n) => html`<li class=${n.level ?? n.severity ?? ''}>
    <b>${n.level ?? n.severity ?? n.kind ?? 'note'}</b> ${rich(n.message ?? n.text ?? n.title ?? '')}
    ${(n.at ?? n.sentAt ?? n.createdAt) && html` <span class="muted"><${Ago} iso=${n.at ?? n.sentAt ?? n.createdAt} /></span>`}
  </li>`
  return html`<section class="kpi" data-panel="notifications" aria-labelledby="h-notes">
    <header><h3 id="h-notes">Notifications</h3></header>
    ${list.length ? html`<ul class="notes">${list.slice(0, 10).map(item)}</ul>` : html`<p class="empty">Nothing to tell: no session is expiring and no source failed.</p>`}
  </section>`
}

const WholeLabel = ({ env }) => env.filter === 'not applicable' && html`<span class="ftag off" title="label-wide targets and thresholds">whole label</span>`

export function Alerts({ env, strip }) {
  if (env === null || env === undefined) return strip ? null : html`<article class="kpi" data-kpi="alerts" aria-busy="true"></article>`
  const rows = (env.breakdown ?? []).filter((r) => r.message || r.key)
  const list = html`<ul>${rows.map((r) => html`<li class=${r.level}><b>${r.level ?? 'alert'}</b> ${r.message ? rich(r.message) : label(r.key)}</li>`)}</ul>`
  if (strip) return rows.length ? html`<section class="alerts" aria-label="Alerts">${list}</section>` : null
  return html`<article class="kpi" data-kpi="alerts" data-filter=${env.filter ?? 'none'} aria-labelledby="h-alerts">
    <header><h3 id="h-alerts">${env.title ?? 'Alerts'}</h3><${Badge} env=${env} /><${WholeLabel} env=${env} /></header>
    <p class="value">${fmt(env.value, 'count') ?? 'not reported yet'}</p>
    <div class="alerts">${rows.length ? list : html`<p class="muted">No alerts.</p>`}</div>
  </article>`
}

export function Goals({ env }) {
  if (env === null) return null
  if (env === undefined) return html`<article class="kpi" data-kpi="goals" aria-busy="true"></article>`
  const goal = (r) => {
    const pct = num(r.value) ? Math.max(0, Math.min(100, r.value)) : null
    const of = num(r.actual) && num(r.target) && r.unit && `${fmt(r.actual, r.unit)} of ${fmt(r.target, r.unit)}`
    return html`<li data-goal=${r.key}>
      <div class="goal-head"><span>${label(r.key)}${r.period && html`<span class="muted"> · ${fmtKey(r.period, true)}</span>`}</span>
        <b>${fmt(r.value, 'percent') ?? 'not reported yet'}</b>${r.status && html`<${Pill} status=${r.status} />`}</div>
      ${pct !== null && html`<div class="bar-track" role="img" aria-label=${`${fmt(r.value, 'percent')} of target`}><div class=${`bar-fill ${r.status}`} style=${`width:${pct}%`}></div></div>`}
      ${of && html`<p class="muted">${of}${r.complete === false ? ' so far (month not complete)' : ''}</p>`}
    </li>`
  }
  const rows = env.breakdown ?? []
  return html`<article class="kpi" data-kpi="goals" data-filter=${env.filter ?? 'none'} aria-labelledby="h-goals">
    <header><h3 id="h-goals">${env.title ?? 'Goals'}</h3><${Badge} env=${env} /><${WholeLabel} env=${env} /></header>
    ${rows.length ? html`<ul class="goals">${rows.map(goal)}</ul>` : html`<p class="empty">${env.note ?? 'No goals reported yet.'}</p>`}
  </article>`
}
