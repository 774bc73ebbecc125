// Chart panels. Each reads one or two KPI envelopes: a 404 (null) hides the panel, a KPI with
// freshness 'empty' shows its note instead of a chart, and only reported points are drawn.
import { html } from 'htm/preact'
import { useState } from 'preact/hooks'
import { Badge, Pill } from './cards.js'
import { Chart } from './charts.js'
import { fmt, fmtKey, fmtShare, label, num, toTime } from './format.js'

const DISTRIBUTORS = new Set(['distrokid', 'toolost'])

/** Numeric fields other than `value` that any row carries: the per-platform / per-source lines. */
function fields(series) {
  const out = new Set()
  for (const r of series ?? []) for (const k in r) if (k !== 'value' && num(r[k])) out.add(k)
  return [...out]
}

const reported = (env) => env && env.freshness !== 'empty' && env.series?.length > 0
const Empty = ({ env, text }) =>
  html`<p class="empty" data-empty>${env?.note ?? text ?? 'No data reported yet.'}</p>`

function Panel({ name, title, env, extra, body }) {
  if (env === null) return null
  const content =
    env === undefined
      ? html`<p class="empty">Loading…</p>`
      : env.freshness === 'empty'
        ? html`<${Empty} env=${env} />`
        : body()
  return html`<section class="panel" data-panel=${name}>
    <header><h2>${title}</h2>${env && html`<${Badge} env=${env} />`}${extra}</header>
    ${content}
  </section>`
}

function Shares({ rows, unit }) {
  const list = (rows ?? []).filter((r) => num(r.value))
  if (!list.length) return null
  const item = (r) => html`<li>
    ${label(r.key)} <b>${fmt(r.value, unit)}</b>
    ${num(r.share) && html`<span class="muted"> ${fmtShare(r.share)}</span>`}
  </li>`
  return html`<ul class="shares">${list.map(item)}</ul>`
}

export function StreamsPanel({ kpis }) {
  const [mode, setMode] = useState('platform')
  const total = kpis['streams-total']
  const own = kpis[mode === 'platform' ? 'streams-by-platform' : 'streams-by-distributor']
  // Prefer the dedicated KPI's series; fall back to the per-source fields on the totals series.
  let env = own
  let keys = fields(own?.series)
  if (!keys.length && total) {
    env = total
    keys = fields(total.series).filter((k) => DISTRIBUTORS.has(k) === (mode === 'distributor'))
  }
  const lines = [
    { key: 'value', label: 'All', dashed: true },
    ...keys.map((k) => ({ key: k, label: label(k) })),
  ]
  const button = (m) => html`<button type="button" aria-pressed=${mode === m} data-split=${m}
    onClick=${() => setMode(m)}>By ${m}</button>`
  const toggle = html`<div class="seg" role="group" aria-label="Split streams by">
    ${['platform', 'distributor'].map(button)}
  </div>`
  const body = () => html`
    <${Chart} name="streams" unit="streams" rows=${env?.series} keys=${lines} />
    ${!keys.length && html`<p class="muted">No daily split by ${mode} reported; totals only.</p>`}
    <${Shares} rows=${own?.breakdown} unit="streams" />`
  return html`<${Panel} name="streams" title="Streams" env=${total ?? own} extra=${toggle}
    body=${body} />`
}

export function RevenuePanel({ kpis }) {
  const eva = kpis['revenue-expected-vs-actual']
  const env = eva === null ? kpis['revenue-by-month'] : eva
  const withExpected = env === eva
  const keys = [{ key: 'value', label: 'Actual' }]
  if (withExpected) keys.push({ key: 'expected', label: 'Expected (estimated)', est: true })
  const detail = (r) =>
    [num(r.variance) && `variance ${fmt(r.variance, 'usd')}`, r.status].filter(Boolean).join(' · ')
  const row = (r) => html`<tr data-month=${r.date}>
    <td>${fmtKey(r.date)}</td>
    <td>${fmt(r.value, 'usd') ?? 'not reported yet'}</td>
    ${
      withExpected &&
      html`<td>${fmt(r.expected, 'usd') ?? '—'}</td>
      <td>${r.status && html`<${Pill} status=${r.status} />`}</td>`
    }
  </tr>`
  const recent = (env?.series ?? []).slice(-6).reverse()
  const body = () => html`
    <${Chart} name="revenue" kind="bar" unit="usd" rows=${env.series} keys=${keys}
      detail=${detail} />
    ${
      recent.length > 0 &&
      html`<table class="months">
      <thead>
        <tr>
          <th>Month</th><th>Actual</th>${withExpected && html`<th>Expected</th><th>Status</th>`}
        </tr>
      </thead>
      <tbody>${recent.map(row)}</tbody>
    </table>`
    }`
  const title = withExpected ? 'Revenue by month: actual vs expected' : 'Revenue by month'
  return html`<${Panel} name="revenue" title=${title} env=${env} body=${body} />`
}

export function SocialPanel({ kpis }) {
  const tiktok = kpis['tiktok-views']
  const spotify = kpis['spotify-streams']
  if (tiktok === null && spotify === null) return null
  // One time axis for both charts so a TikTok spike lines up with the streams that follow it.
  const ts = [tiktok, spotify].flatMap((e) =>
    reported(e) ? e.series.map((r) => toTime(r.date)) : [],
  )
  const domain = ts.length ? [Math.min(...ts), Math.max(...ts)] : undefined
  const part = (env, title, unit) =>
    env &&
    html`<div class="sub">
      <h3>
        ${title} ${num(env.value) && html`<b>${fmt(env.value, unit)}</b>`} <${Badge} env=${env} />
      </h3>
      ${
        env.freshness === 'empty'
          ? html`<${Empty} env=${env} />`
          : html`<${Chart} name=${env.name} unit=${unit} rows=${env.series} domain=${domain}
            height=${140} keys=${[{ key: 'value', label: title }]} />`
      }
    </div>`
  return html`<section class="panel" data-panel="social">
    <header><h2>TikTok views vs Spotify streams</h2></header>
    ${part(tiktok, 'TikTok views', 'count')} ${part(spotify, 'Spotify streams', 'streams')}
  </section>`
}

export function AdsPanel({ kpis }) {
  const spend = kpis['ad-spend']
  const roas = kpis.roas
  if (spend === null && roas === null) return null
  const campaigns = (spend?.breakdown ?? [])
    .filter((r) => num(r.value))
    .sort((a, b) => b.value - a.value)
    .slice(0, 5)
  const stat = (env, title) =>
    env &&
    html`<div class="stat" data-stat=${env.name}>
      <span class="muted">${title}</span>
      ${
        num(env.value)
          ? html`<b>${fmt(env.value, env.unit)}</b>`
          : html`<span class="none">not reported yet</span>`
      }
      ${env.estimated && html`<span class="est-tag">estimated</span>`}
    </div>`
  const daily = [{ key: 'value', label: 'Daily spend' }]
  return html`<section class="panel" data-panel="ads">
    <header><h2>Ad spend and ROAS</h2>${spend && html`<${Badge} env=${spend} />`}</header>
    <div class="stats">${stat(spend, 'Spend')}${stat(roas, 'ROAS')}</div>
    ${
      spend &&
      (reported(spend)
        ? html`<${Chart} name="ad-spend" kind="bar" unit="usd" rows=${spend.series} height=${150}
          keys=${daily} />`
        : html`<${Empty} env=${spend} text="No ad spend reported in this range." />`)
    }
    ${
      reported(roas) &&
      html`<${Chart} name="roas" unit="ratio" rows=${roas.series} height=${130}
      keys=${[{ key: 'value', label: 'ROAS', est: roas.estimated }]} />`
    }
    ${roas?.note && html`<p class="muted">${roas.note}</p>`}
    <${Shares} rows=${campaigns} unit="usd" />
  </section>`
}
