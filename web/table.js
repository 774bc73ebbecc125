// Breakdown tables: sortable by any column, the top N rows and one "others" row for the rest (money
// summed exactly), a click on an artist or track filters the page to it, and a CSV of every row.
import { useState } from 'preact/hooks'
import { colour, fmt, fmtKey, html, label, num } from './format.js'

/**
 * columns: [{ field, title, unit?, pick?: 'artist'|'track', text?: (row) => string, sum?: bool,
 * swatch?: bool }]. `others`: a server-side remainder row (the KPI's own top-10 + others).
 */
export function Table({ name, caption, rows, columns, top = 10, others, onPick, csv }) {
  const [sort, setSort] = useState(null)
  const [all, setAll] = useState(false)
  const list = [...(rows ?? [])]
  if (sort) {
    const { field, dir } = sort
    list.sort((a, b) => dir * cmp(a[field], b[field]))
  }
  const shown = all ? list : list.slice(0, top)
  const rest = all ? [] : list.slice(top)
  const sortBy = (field) => setSort((s) => (s?.field === field ? { field, dir: -s.dir } : { field, dir: num(list[0]?.[field]) ? -1 : 1 }))

  // Past the key, the value and one more, columns give way on a phone (the CSV keeps them all).
  const opt = (j) => (j > 2 ? ' opt' : '')
  const head = columns.map((c, j) => {
    const dir = sort?.field === c.field ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none'
    return html`<th scope="col" aria-sort=${dir} class=${(c.unit !== undefined ? 'n' : '') + opt(j)}>
      <button type="button" class="sort" onClick=${() => sortBy(c.field)}>
        ${c.title}<span aria-hidden="true">${dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}</span>
      </button>
    </th>`
  })
  const cellOf = (c, r) => {
    const v = r[c.field]
    if (c.pick && v !== null && v !== undefined && onPick)
      return html`<button type="button" class="pick" data-pick=${c.pick} data-value=${v}
        title=${`Show only ${c.pick} ${c.text ? c.text(r) : v}`} onClick=${() => onPick(c.pick, v)}>
        ${c.swatch && html`<i class="sw" style=${`--k:${colour(v)}`}></i>`}${c.text ? c.text(r) : v}
      </button>`
    if (c.text) return html`${c.swatch && html`<i class="sw" style=${`--k:${colour(v)}`}></i>`}${c.text(r)}`
    if (c.unit !== undefined) return fmt(v, c.unit) ?? html`<span class="muted">—</span>`
    return html`${c.swatch && html`<i class="sw" style=${`--k:${colour(v)}`}></i>`}${v ?? '—'}`
  }
  const line = (r, i) => html`<tr key=${i} data-key=${r.key ?? r.date}>
    ${columns.map((c, j) => (j === 0 ? html`<th scope="row">${cellOf(c, r)}</th>` : html`<td class=${(c.unit !== undefined ? 'n' : '') + opt(j)}>${cellOf(c, r)}</td>`))}
  </tr>`
  const restRow = rest.length ? othersRow(rest, columns) : others ? { ...others, key: 'others' } : null
  const restCount = rest.length || Object.values(others ?? {}).find((v) => Number.isInteger(v) && v > 0)
  return html`<div class="table" data-table=${name}>
    <div class="scroll" tabindex="0" role="region" aria-label=${caption}>
      <table>
        <caption class="sr">${caption}</caption>
        <thead><tr>${head}</tr></thead>
        <tbody>
          ${shown.map(line)}
          ${
            restRow &&
            html`<tr class="others" data-others>
            <th scope="row">Others${restCount ? ` (${restCount})` : ''}</th>
            ${columns.slice(1).map((c, j) => html`<td class=${(c.unit !== undefined ? 'n' : '') + opt(j + 1)}>${c.sum ? (fmt(restRow[c.field], c.unit) ?? '') : ''}</td>`)}
          </tr>`
          }
        </tbody>
      </table>
    </div>
    <div class="table-tools">
      ${list.length > top && html`<button type="button" class="link" onClick=${() => setAll(!all)}>${all ? `Top ${top} only` : `Show all ${list.length}`}</button>`}
      <${CsvButton} name=${name} rows=${csv ?? [...list, ...(others ? [{ key: 'others', ...others }] : [])]} what=${caption} />
    </div>
  </div>`
}

export function CsvButton({ name, rows, what }) {
  if (!rows?.length) return null
  return html`<button type="button" class="link" data-csv=${name} aria-label=${`Download ${what} as CSV`}
    onClick=${() => downloadCsv(`${name}.csv`, rows)}>CSV</button>`
}

function othersRow(rest, columns) {
  const out = {}
  for (const c of columns) {
    if (!c.sum) continue
    const vals = rest.map((r) => r[c.field]).filter(num)
    out[c.field] = vals.length ? vals.reduce((s, v) => s + v, 0) : null
  }
  const exact = sumExact(rest.map((r) => r.exact))
  if (exact !== null) (out.exact = exact), (out.value = Number(exact))
  return out
}

function cmp(a, b) {
  if (num(a) && num(b)) return a - b
  if (!num(a) && num(b)) return -1
  if (num(a) && !num(b)) return 1
  return String(a ?? '').localeCompare(String(b ?? ''))
}

/** A readable title for a breakdown key column per KPI. */
export const keyTitle = (kpi) =>
  ({
    'revenue-by-store': 'Store',
    'revenue-by-artist': 'Artist',
    'revenue-by-track': 'Track',
    'revenue-by-country': 'Country',
    'revenue-by-month': 'Reporting month',
    'revenue-per-stream': 'Store',
    'payment-lag': 'Months after sale',
    'streams-by-platform': 'Platform',
    'streams-by-distributor': 'Distributor',
    'streams-day-over-day': 'Distributor',
    'streams-growth': 'Compared',
    'ad-spend': 'Campaign',
    'linktree-clicks': 'Link',
    'youtube-views': 'Channel',
    'email-audience': 'List',
    'instagram-reach': 'Account',
    'tiktok-views': 'Account',
    'tiktok-engagement': 'Account',
    'tiktok-followers': 'Account',
  })[kpi] ?? (kpi.startsWith('spotify') || ['roas', 'cost-per-follower'].includes(kpi) ? 'Artist' : 'Key')

// Keys as the source spells them ('YouTube (Red)', 'ZONE A0'); only lower-case ids get a label.
export const keyText = (r) => (/^\d{4}-\d{2}(-\d{2})?$/.test(r.key) ? fmtKey(r.key, true) : /^[a-z0-9_.-]+$/.test(r.key) ? label(r.key) : String(r.key))

// CSV downloads of any table or series. Papa Parse does the quoting; it is loaded on the first
// download only, so it costs nothing on the page's first paint. Money goes out as the KPI's exact
// text (the `exact` field) and every other number as JSON wrote it: the same digits as /kpi/<name>.
let papa = null
function loadPapa() {
  papa ??= new Promise((resolve, reject) => {
    const s = document.createElement('script')
    s.src = '/vendor/papaparse.js'
    s.onload = () => resolve(window.Papa)
    s.onerror = () => {
      papa = null
      reject(new Error('could not load the CSV writer'))
    }
    document.head.append(s)
  })
  return papa
}

/** Rows flattened one level ({streams: {spotify: 1}} → streams.spotify); `value` carries `exact`. */
function csvRows(rows) {
  return rows.map((r) => {
    const out = {}
    for (const [k, v] of Object.entries(r)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k2, v2] of Object.entries(v)) out[`${k}.${k2}`] = cell(v2)
      else out[k] = cell(v)
    }
    if (typeof r.exact === 'string') out.value = r.exact
    return out
  })
}
const cell = (v) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : typeof v === 'object' ? JSON.stringify(v) : String(v))

async function downloadCsv(filename, rows) {
  const Papa = await loadPapa()
  const flat = csvRows(rows)
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))]
  const text = Papa.unparse(flat, { columns, newline: '\r\n' })
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

// Exact money on the client: the KPIs send ledger money as decimal text ("944.04970055") besides the
// float; sums for "others" rows are done on integers of 1e-8 so the CSV keeps every digit.
const SCALE = 8

function toE8(text) {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(String(text).trim())
  if (!m) return null
  const frac = (m[3] ?? '').padEnd(SCALE, '0')
  if (frac.length > SCALE) return null
  const v = BigInt(m[2] || '0') * 10n ** BigInt(SCALE) + BigInt(frac || '0')
  return m[1] ? -v : v
}

function fromE8(v) {
  const neg = v < 0n
  const a = neg ? -v : v
  const s = a.toString().padStart(SCALE + 1, '0')
  return `${neg ? '-' : ''}${s.slice(0, -SCALE)}.${s.slice(-SCALE)}`
}

/** Σ of exact decimal strings, or null when any is missing (then no exact total can be claimed). */
function sumExact(list) {
  let total = 0n
  for (const t of list) {
    const v = t === null || t === undefined ? null : toE8(t)
    if (v === null) return null
    total += v
  }
  return fromE8(total)
}
