// Source health, the "log in again" list and recent runs, from /health, /auth/status and /runs.
import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { postRun } from './api.js'
import { Badge, Pill as Status, rich } from './cards.js'
import { fmtAgo, fmtDuration, fmtKey, fmtTime, label } from './format.js'

const RELOGIN = { expired: 0, missing: 1, expiring: 2 }

const Ago = ({ iso }) => html`<span title=${fmtTime(iso)}>${fmtAgo(iso)}</span>`

const account = (s) => (s.account && s.account !== 'default' ? `account ${s.account}` : '')
const daysLeft = (s) =>
  (s.status === 'valid' || s.status === 'expiring') && s.daysLeft !== null
    ? `${s.daysLeft} days left`
    : ''
const join = (...parts) => parts.filter(Boolean).join(' · ')
const sessionText = (s) => join(s.status, daysLeft(s), account(s))

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
  const text = busy ? html`<i class="spin"></i> Running${secs ? ` ${secs}s` : '…'}` : 'Run now'
  return html`<div class="run">
    <button type="button" data-run=${source} disabled=${busy} onClick=${click}>${text}</button>
    ${
      state?.message &&
      html`<span class="run-msg ${state.status}" data-run-result=${source}>${state.message}</span>`
    }
  </div>`
}

function Relogin({ sessions }) {
  const list = sessions
    .filter((s) => s.status in RELOGIN)
    .sort((a, b) => RELOGIN[a.status] - RELOGIN[b.status])
  const item = (s) => html`<li data-session=${s.source}>
    <b>${label(s.source)}</b> <${Status} status=${s.status} />
    <span class="muted"> ${join(daysLeft(s), account(s))}</span>
    <code>${s.command}</code>
  </li>`
  return html`<div class="relogin" data-relogin>
    <h3>Log in again</h3>
    ${
      list.length
        ? html`<ul>${list.map(item)}</ul>`
        : html`<p class="muted">All sessions are valid.</p>`
    }
  </div>`
}

function Source({ s, sessions, onRan }) {
  const run = s.lastRun
  const mine = sessions.filter((x) => x.source === s.source)
  const data = s.freshness
    ? html`<${Badge} env=${{ freshness: s.freshness, asOf: s.newestDate }} />`
    : s.newestDate && `newest ${fmtKey(s.newestDate, true)}`
  return html`<li data-source=${s.source}>
    <div class="src-head">
      <b>${label(s.source)}</b>
      <${RunButton} source=${s.source} running=${s.running} onDone=${onRan} />
    </div>
    <dl>
      <dt>Last run</dt>
      <dd>
        ${
          run
            ? html`<${Status} status=${run.status} /> <${Ago} iso=${run.started_at} />
              ${run.message && html` <span class="msg">${rich(run.message)}</span>`}`
            : html`<span class="muted">never</span>`
        }
      </dd>
      <dt>Data</dt>
      <dd>${data || html`<span class="muted">none yet</span>`}</dd>
      <dt>Session</dt>
      <dd>
        ${
          mine.length
            ? mine.map((x) => html`<span class="sess ${x.status}">${sessionText(x)}</span> `)
            : html`<span class="muted">no session</span>`
        }
      </dd>
    </dl>
  </li>`
}

export function SourcesPanel({ health, sessions, onRan }) {
  if (health === null) return null
  const all = sessions ?? health?.sessions ?? []
  const commands = all.map((s) => s.command).filter(Boolean)
  // Session warnings are already in the "log in again" list with their command.
  const warnings = (health?.warnings ?? []).filter((w) => !commands.some((c) => w.includes(c)))
  return html`<section class="panel wide" data-panel="sources">
    <header>
      <h2>Sources</h2>
      ${health?.status && html`<${Status} status=${health.status} />`}
    </header>
    ${
      health === undefined
        ? html`<p class="empty">Loading…</p>`
        : html`<ul class="sources">
            ${(health.sources ?? []).map(
              (s) => html`<${Source} s=${s} sessions=${all} onRan=${onRan} />`,
            )}
          </ul>
          ${
            warnings.length > 0 &&
            html`<ul class="warnings">${warnings.map((w) => html`<li>${rich(w)}</li>`)}</ul>`
          }
          <${Relogin} sessions=${all} />`
    }
  </section>`
}

const Run = ({ r }) => html`<li data-run-id=${r.id}>
  <div>
    <${Status} status=${r.status} /> <b>${label(r.source)}</b>
    <span class="muted"> ${r.trigger}</span>
  </div>
  <div class="muted">
    <${Ago} iso=${r.started_at} />
    ${r.finished_at && ` · ${fmtDuration(r.started_at, r.finished_at)}`}
  </div>
  ${r.message && html`<p class="msg">${rich(r.message)}</p>`}
</li>`

export function RunsPanel({ runs }) {
  if (runs === null) return null
  const list = runs?.runs ?? []
  return html`<section class="panel" data-panel="runs">
    <header><h2>Recent runs</h2></header>
    ${
      runs === undefined
        ? html`<p class="empty">Loading…</p>`
        : list.length
          ? html`<ul class="runs">${list.map((r) => html`<${Run} key=${r.id} r=${r} />`)}</ul>`
          : html`<p class="empty">No runs yet.</p>`
    }
  </section>`
}
