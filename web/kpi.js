// One KPI on the page, whatever its shape: the headline value and its change, the few figures beside
// it, the KPI's own note (never a stand-in number), its series as a chart and its breakdown as a table.
// A KPI with no data says why and what to run; under a filter it says whether the filter applies.
import { Chart } from './charts.js'
import { CsvButton, keyText, keyTitle, Table } from './table.js'
import { colour, fmt, fmtKey, fmtShare, fmtSigned, html, label, num } from './format.js'

const FRESH = { fresh: 'up to date', warn: 'getting old', stale: 'stale', empty: 'no data' }

/** Text with `backticked` parts (commands in server messages) shown as code. */
export function rich(text) {
  return String(text ?? '')
    .split('`')
    .map((part, i) => (i % 2 ? html`<code>${part}</code>` : part))
}

// Statuses arrive as 'needs_auth' or 'DUE_SOON'; the class is lower case, the text has spaces.
export const Pill = ({ status }) => html`<span class="pill ${String(status).toLowerCase()}">${String(status).replace(/_/g, ' ').toLowerCase()}</span>`

export function Badge({ env }) {
  const title = env.asOf ? `newest data: ${fmtKey(env.asOf, true)}` : 'no data reported yet'
  const when = env.asOf ? ` · ${fmtKey(env.asOf, env.asOf.length === 7)}` : ''
  return html`<span class="badge f-${env.freshness}" title=${title} data-badge=${env.freshness}>
    ${FRESH[env.freshness] ?? env.freshness}${when}
  </span>`
}

// Units of fields that are not the KPI's own unit (money, shares of 1, counts).
const FIELD_UNITS = {
  exact: null,
  unit: null,
  key: null,
  date: null,
  campaignId: null,
  months: null,
  current: null,
  previous: null,
  platform: null,
  basis: null,
  expected: 'usd',
  variance: 'usd',
  earnings: 'usd',
  revenue: 'usd',
  spend: 'usd',
  cpc: 'usd',
  cpm: 'usd',
  share: 'share',
  earningsShare: 'share',
  daysShare: 'share',
  ctr: 'share',
  openRate: 'share',
  clickRate: 'share',
  engagement: 'share',
  change: 'share',
  coverage: 'share',
  daysCoverage: 'share',
  r: 'r',
  lag: 'days',
  bestLag: 'days',
  pace: 'percent',
}
const unitOf = (field, env) => (field in FIELD_UNITS ? FIELD_UNITS[field] : field === 'value' ? env.unit : 'count')
// Not additive across rows: an "others" row would be a meaningless sum.
const RATES = new Set([
  'revenue-per-stream',
  'cost-per-follower',
  'roas',
  'tiktok-engagement',
  'payment-lag',
  'attribution-lag',
  'streams-growth',
  'spotify-listeners',
  'spotify-followers',
])
const COSTS = new Set(['ad-spend', 'cost-per-follower'])
// Top-level fields worth a line beside the headline (in this order), when the KPI sends them.
const EXTRA = [
  'expected',
  'variance',
  'previous',
  'gained',
  'earnings',
  'streams',
  'quantity',
  'lines',
  'impressions',
  'clicks',
  'ctr',
  'cpc',
  'cpm',
  'views',
  'uniqueViews',
  'members',
  'openRate',
  'clickRate',
  'watchMinutes',
  'subscribersNet',
  'profileViews',
  'reach',
  'daysReported',
  'artists',
  'countries',
  'top',
]

// Which extra columns a table shows first (the CSV has every field).
const PRIORITY = [
  'artist',
  'share',
  'earnings',
  'streams',
  'quantity',
  'spend',
  'revenue',
  'gained',
  'followersGained',
  'views',
  'clicks',
  'impressions',
  'ctr',
  'status',
  'expected',
  'variance',
  'days',
  'lines',
]
const rank = (f) => (PRIORITY.includes(f) ? PRIORITY.indexOf(f) : PRIORITY.length)
const ROW_UNITS = { 'share of lines': 'share' }
const SWATCH = new Set(['Store', 'Platform', 'Distributor', 'Artist', 'Account', 'Channel'])

/** Columns of a breakdown: the key, the value in the KPI's unit, then the most telling other fields. */
export function columnsOf(name, env, spec = {}) {
  const rows = env.breakdown ?? []
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r)))]
    .filter((f) => f !== 'key' && f !== 'value' && f !== 'title' && FIELD_UNITS[f] !== null && rows.some((r) => r[f] !== null && typeof r[f] !== 'object'))
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, spec.cols ?? (spec.wide ? 7 : 4))
  const sum = !RATES.has(name)
  const title = keyTitle(name)
  const cols = [{ field: 'key', title, text: keyText, swatch: SWATCH.has(title), pick: spec.pick?.key }]
  if (name === 'revenue-by-track') cols[0] = { field: 'key', title: 'Track', text: (r) => r.title ?? r.key, pick: 'track' }
  const rowUnit = rows.find((r) => typeof r.unit === 'string')?.unit
  const valueTitle = spec.valueTitle ?? (rowUnit ? label(rowUnit) : label(env.unit === 'usd' ? 'amount' : env.unit))
  cols.push({ field: 'value', title: valueTitle, unit: ROW_UNITS[rowUnit] ?? (rowUnit && rowUnit !== env.unit ? rowUnit : env.unit), sum })
  for (const f of fields) {
    if (f === 'artist') {
      cols.push({ field: 'artist', title: 'Artist', pick: 'artist', swatch: true })
      continue
    }
    const sample = rows.find((r) => r[f] !== null && r[f] !== undefined)?.[f]
    if (typeof sample === 'string') {
      cols.push({ field: f, title: label(f), text: (r) => (/status/i.test(f) ? r[f] && html`<${Pill} status=${r[f]} />` : (r[f] ?? '—')) })
      continue
    }
    if (typeof sample !== 'number') continue
    const u = unitOf(f, env)
    cols.push({ field: f, title: label(f), unit: u, sum: sum && !['share', 'days', 'percent', 'r'].includes(u) && !/share|rate|days|date/i.test(f) })
  }
  return cols
}

/** The lines of a series chart: the value plus the per-platform / per-account fields the breakdown names. */
function seriesKeys(env, spec) {
  if (spec.keys) return spec.keys.map((k) => ({ ...k, colour: k.colour ?? colour(k.key === 'value' ? (spec.colour ?? env.name) : k.key) }))
  const names = new Set((env.breakdown ?? []).map((r) => r.key))
  const parts = [...new Set((env.series ?? []).flatMap((r) => Object.keys(r)))].filter((f) => f !== 'value' && names.has(f))
  const keys = parts.map((f) => ({ key: f, label: label(f), colour: colour(f) }))
  const total = {
    key: 'value',
    label: parts.length ? 'All' : env.title,
    dashed: parts.length > 0,
    colour: parts.length ? 'var(--muted)' : colour(spec.colour ?? env.name),
  }
  return [total, ...keys]
}

function Change({ env, name }) {
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
  const abs = delta === null ? '' : unit === 'percent' ? `${fmtSigned(delta)} pts` : fmtSigned(delta, unit)
  const text = rel === null ? abs : abs ? `${fmtShare(rel, true)} (${abs})` : fmtShare(rel, true)
  return html`<p class=${`change ${dir}${COSTS.has(name) ? ' cost' : ''}`} data-change>
    <span aria-hidden="true">${sign > 0 ? '▲' : sign < 0 ? '▼' : '■'} </span>${text}
    <span class="muted"> vs previous period</span>
  </p>`
}

function Extras({ env }) {
  const items = EXTRA.filter((f) => f !== 'previous' && (num(env[f]) || (f === 'top' && env[f]))).slice(0, 6)
  if (!items.length) return null
  return html`<dl class="extras">
    ${items.map((f) => html`<div><dt>${label(f)}</dt><dd>${f === 'top' ? env[f] : fmt(env[f], unitOf(f, env))}</dd></div>`)}
  </dl>`
}

function Empty({ env }) {
  const run = (env.sources ?? []).filter((s) => /^[a-z]+$/.test(s))
  return html`<div class="empty" data-empty>
    <p>${env.note ? rich(env.note) : 'No data reported in this range.'}</p>
    ${run.length > 0 && html`<p class="muted">To fill it, run ${run.map((s, i) => html`${i ? ' or ' : ''}<code>npm run pipeline -- ${s}</code>`)}${env.asOf ? ', or pick a longer range' : ''}.</p>`}
  </div>`
}

/** spec: { wide?, chart?: 'line'|'bar'|false, keys?, table?: false, pick?: {key: 'artist'} , top? } */
export function Kpi({ name, env, spec = {}, filter, onPick, details = true }) {
  if (env === null) return null
  const wide = spec.wide ? ' wide' : ''
  if (env === undefined) return html`<article class=${`kpi${wide}`} data-kpi=${name} aria-busy="true"><div class="skeleton"></div></article>`
  const title = env.title ?? label(name)
  const shown = num(env.value) ? (name === 'streams-day-over-day' ? fmtSigned : fmt)(env.value, env.unit) : null
  const empty = env.freshness === 'empty' || (shown === null && !env.series?.length && !env.breakdown?.length)
  const series = (env.series ?? []).filter((r) => r.date)
  const rows = env.breakdown ?? []
  const filtered = filter && (filter.artist || filter.track)
  return html`<article class=${`kpi${wide}`} data-kpi=${name} data-freshness=${env.freshness} data-filter=${env.filter ?? (filtered ? 'not applicable' : 'none')}
    aria-labelledby=${`h-${name}`}>
    <header>
      <h3 id=${`h-${name}`}>${title}</h3>
      <${Badge} env=${env} />
      ${env.estimated && html`<span class="est-tag">estimated</span>`}
      ${filtered && html`<span class=${`ftag ${env.filter === 'applied' ? 'on' : 'off'}`}>${env.filter === 'applied' ? 'filtered' : 'whole label'}</span>`}
    </header>
    <p class=${shown === null ? 'value none' : 'value'} elementtiming=${`kpi-${name}`}>${shown ?? 'not reported yet'}</p>
    ${shown !== null && html`<${Change} env=${env} name=${name} />`}
    ${!empty && html`<${Extras} env=${env} />`}
    ${empty ? html`<${Empty} env=${env} />` : env.note && html`<p class="meta">${rich(env.note)}</p>`}
    ${
      details &&
      !empty &&
      spec.chart !== false &&
      series.length > 0 &&
      html`<${Chart} name=${name} title=${title} kind=${spec.chart ?? (env.unit === 'usd' || series[0].date.length === 7 ? 'bar' : 'line')}
        unit=${env.unit} rows=${series} keys=${seriesKeys(env, spec)} height=${spec.height ?? 170} detail=${spec.detail} />
      <div class="table-tools"><${CsvButton} name=${`${name}-series`} rows=${series} what=${`${title} series`} /></div>`
    }
    ${
      details &&
      !empty &&
      spec.monthTable &&
      series.length > 0 &&
      html`<${Table} name=${`${name}-months`} caption=${`${title} by month`}
      rows=${[...series].reverse().map((r) => ({ ...r, key: r.date }))} columns=${monthColumns(env)} top=${6} csv=${series} />`
    }
    ${
      details &&
      !empty &&
      spec.table !== false &&
      rows.length > 0 &&
      html`<${Table} name=${name} caption=${`${title} breakdown`} rows=${rows}
      columns=${columnsOf(name, env, spec)} top=${spec.top ?? 8} others=${env.others} onPick=${onPick} />`
    }
  </article>`
}

const monthColumns = (env) => [
  {
    field: 'key',
    title: 'Month',
    text: (r) => html`${fmtKey(r.date, true)}${r.incomplete ? html` <span class="ftag" title=${r.reason ?? ''}>incomplete</span>` : ''}`,
  },
  { field: 'value', title: 'Actual', unit: env.unit },
  { field: 'expected', title: 'Expected', unit: 'usd' },
  { field: 'variance', title: 'Variance', unit: 'usd' },
  { field: 'status', title: 'Payment', text: (r) => r.status && html`<${Pill} status=${r.status} />` },
]

export const monthDetail = (r) =>
  [num(r.variance) && `variance ${fmt(r.variance, 'usd')}`, r.status && String(r.status).replace(/_/g, ' ').toLowerCase(), r.incomplete && 'incomplete month']
    .filter(Boolean)
    .join(' · ')
export { fmtKey }
