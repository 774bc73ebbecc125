// Small shared pieces: freshness badge, status pill, text with `commands`.
import { html } from 'htm/preact'
import { fmtKey } from './format.js'

const FRESH = { fresh: 'up to date', warn: 'getting old', stale: 'stale', empty: 'no data' }

/** Text with `backticked` parts (commands in server messages) shown as code. */
export function rich(text) {
  return String(text ?? '')
    .split('`')
    .map((part, i) => (i % 2 ? html`<code>${part}</code>` : part))
}

// Statuses arrive as 'needs_auth' or 'DUE_SOON'; the class is lower case, the text has spaces.
export const Pill = ({ status }) =>
  html`<span class="pill ${String(status).toLowerCase()}">${String(status).replace(/_/g, ' ').toLowerCase()}</span>`

export function Badge({ env }) {
  const title = env.asOf ? `newest data: ${fmtKey(env.asOf, true)}` : 'no data reported yet'
  const when = env.asOf ? ` · ${fmtKey(env.asOf, env.asOf.length === 7)}` : ''
  return html`<span class="badge f-${env.freshness}" title=${title} data-badge=${env.freshness}>
    ${FRESH[env.freshness] ?? env.freshness}${when}
  </span>`
}
