// Source health, the "log in again" list and recent runs, from /health, /auth/status and /runs.
import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { postRun } from './api.js'
import { Badge } from './cards.js'
import { fmtAgo, fmtDuration, fmtKey, fmtTime, label } from './format.js'

const RELOGIN = { expired: 0, missing: 1, expiring: 2 }

const Status = ({ status }) => html`<span class="pill ${status}">${String(status).replace(/_/g, ' ')}</span>`

function sessionText(s) {
  const who = s.account && s.account !== 'default' ? ` (${s.account})` : ''
  const left = s.status === 'valid' || s.status === 'expiring' ? (s.daysLeft === null ? '' : ` · ${s.daysLeft} days left`) : ''
  return `${s.status}${left}${who}`
}

function RunButton({ source, running, onDone }) {
  const [state, setState] = useState(null)
  const [, tick] = useState(0)
  const busy = state?.busy || running
  // Re-render every second while busy so the elapsed time shows the run is still going.
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
    <button type="button" data-run=${source} disabled=${busy} onClick=${click} aria-busy=${busy}>
      ${busy ? html`<i class="spin" aria-hidden="true"></i> Running${secs ? ` ${secs}s` : '…'}` : 'Run now'}
    </button>
    ${state?.message && html`<span class="run-msg ${state.status}" data-run-result=${source}>${state.message}</span>`}
  </div>`
}

function Relogin({ sessions }) {
  const list = sessions.filter((s) => s.status in RELOGIN).sort((a, b) => RELOGIN[a.status] - RELOGIN[b.status])
  return html`<div class="relogin" data-relogin>
    <h3>Log in again</h3>
    ${!list.length
      ? html`<p class="muted">All sessions are valid.</p>`
      : html`<ul>
          ${list.map(
            (s) => html`<li data-session=${s.source}>
              <div><b>${label(s.source)}</b> <${Status} status=${s.status} /> <span class="muted">${sessionText(s)}</span></div>
              <code>${s.command}</code>
            </li>`,
          )}
        </ul>`}
  </div>`
}

export function SourcesPanel({ health, sessions, onRan }) {
  if (health === null) return null
  const all = sessions ?? health?.sessions ?? []
  const commands = all.map((s) => s.command)
  // Session warnings are already in the "log in again" list with their command.
  const warnings = (health?.warnings ?? []).filter((w) => !commands.some((c) => c && w.includes(c)))
  return html`<section class="panel" data-panel="sources">
    <header><h2>Sources</h2>${health?.status && html`<${Status} status=${health.status} />`}</header>
    ${health === undefined
      ? html`<p class="empty">Loading…</p>`
      : html`<ul class="sources">
          ${health.sources.map((s) => {
            const mine = all.filter((x) => x.source === s.source)
            const run = s.lastRun
            return html`<li data-source=${s.source}>
              <div class="src-head"><b>${label(s.source)}</b><${RunButton} source=${s.source} running=${s.running} onDone=${onRan} /></div>
              <dl>
                <dt>Last run</dt>
                <dd>${run ? html`<${Status} status=${run.status} /> <span title=${fmtTime(run.started_at)}>${fmtAgo(run.started_at)}</span>${run.message ? html` <span class="muted msg">${run.message}</span>` : ''}` : html`<span class="muted">never</span>`}</dd>
                <dt>Data</dt>
                <dd>${s.freshness ? html`<${Badge} env=${{ freshness: s.freshness, asOf: s.newestDate }} />` : s.newestDate ? `newest ${fmtKey(s.newestDate, true)}` : html`<span class="muted">none yet</span>`}</dd>
                <dt>Session</dt>
                <dd>${mine.length ? mine.map((x) => html`<span class="sess ${x.status}">${sessionText(x)}</span> `) : html`<span class="muted">no login needed</span>`}</dd>
              </dl>
            </li>`
          })}
        </ul>`}
    ${warnings.length > 0 && html`<ul class="warnings">${warnings.map((w) => html`<li>${w}</li>`)}</ul>`}
    ${health !== undefined && html`<${Relogin} sessions=${all} />`}
  </section>`
}

export function RunsPanel({ runs }) {
  if (runs === null) return null
  return html`<section class="panel" data-panel="runs">
    <header><h2>Recent runs</h2></header>
    ${runs === undefined
      ? html`<p class="empty">Loading…</p>`
      : !runs.runs.length
        ? html`<p class="empty">No runs yet.</p>`
        : html`<ul class="runs">
            ${runs.runs.map(
              (r) => html`<li data-run-id=${r.id}>
                <div><${Status} status=${r.status} /> <b>${label(r.source)}</b> <span class="muted">${r.trigger}</span></div>
                <div class="muted"><span title=${fmtTime(r.started_at)}>${fmtAgo(r.started_at)}</span>${r.finished_at ? ` · ${fmtDuration(r.started_at, r.finished_at)}` : ''}</div>
                ${r.message && html`<p class="msg">${r.message}</p>`}
              </li>`,
            )}
          </ul>`}
  </section>`
}
