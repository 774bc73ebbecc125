// Inline SVG charts: a line chart on a time axis (gaps stay gaps) and a grouped bar chart on a band
// axis. Drawn in real pixels from the container's width so text stays legible on a phone.
import { html } from 'htm/preact'
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { fmt, fmtAxis, fmtKey, num, toTime } from './format.js'

const M = { l: 50, r: 12, t: 10, b: 24 }

function useWidth() {
  const ref = useRef(null)
  const [width, setWidth] = useState(0)
  useLayoutEffect(() => {
    const el = ref.current
    // Read once synchronously so the first paint already has the chart, then follow resizes.
    setWidth(el.clientWidth)
    const ro = new ResizeObserver(() => setWidth(el.clientWidth))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  return [ref, width]
}

function niceStep(raw) {
  const p = 10 ** Math.floor(Math.log10(raw))
  const n = raw / p
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * p
}

/** Round tick values covering [lo, hi], always including 0 so bars and trends are not exaggerated. */
function ticks(lo, hi) {
  if (lo === hi) hi = lo + 1
  const step = niceStep((hi - lo) / 4)
  const out = []
  for (let v = Math.floor(lo / step) * step; v < hi + step / 2; v += step)
    out.push(+v.toPrecision(12))
  return out
}

/**
 * rows: [{date, ...numbers}] in date order; keys: [{key, label, dashed?, est?}].
 * `domain` ([t0, t1]) lines up several charts on the same time axis; `detail(row)` adds readout text.
 */
export function Chart({ rows, keys, unit, kind = 'line', height = 180, domain, detail, name }) {
  const [ref, width] = useWidth()
  const [hover, setHover] = useState(-1)
  const data = rows ?? []
  const has = data.some((r) => keys.some((k) => num(r[k.key])))
  const times = data.map((r) => toTime(r.date))
  const timeAxis = kind === 'line' && times.every((t) => !Number.isNaN(t))
  const w = Math.max(1, width - M.l - M.r)
  const h = height - M.t - M.b

  let lo = 0
  let hi = 0
  for (const r of data)
    for (const k of keys)
      if (num(r[k.key])) ((lo = Math.min(lo, r[k.key])), (hi = Math.max(hi, r[k.key])))
  const ys = ticks(lo, hi)
  const [y0, y1] = [ys[0], ys[ys.length - 1]]
  const y = (v) => M.t + h - ((v - y0) / (y1 - y0)) * h
  const band = w / Math.max(1, data.length)
  const t0 = domain?.[0] ?? times[0]
  const t1 = domain?.[1] ?? times[times.length - 1]
  const x = timeAxis
    ? (i) => M.l + (t1 > t0 ? ((times[i] - t0) / (t1 - t0)) * w : w / 2)
    : (i) => M.l + band * (i + 0.5)

  const move = (e) => {
    const px = e.clientX - e.currentTarget.getBoundingClientRect().left
    let best = -1
    let dist = Infinity
    for (let i = 0; i < data.length; i++) {
      const d = Math.abs(x(i) - px)
      if (d < dist) ((best = i), (dist = d))
    }
    setHover(best)
  }

  // Few enough x labels that they never collide: one per ~90 px.
  const every = Math.max(1, Math.ceil(data.length / Math.max(2, Math.floor(w / 90))))
  const labels = data.map((r, i) => i).filter((i) => i % every === 0)

  const row = data[hover]
  const sw = (k, i) => `sw s${i}${k.dashed ? ' dashed' : ''}${k.est ? ' est' : ''}`
  // Without a hover the readout is the legend; with one it gives that date's reported values.
  const readout = html`<div class="readout" aria-live="polite">
    ${row && html`<b>${fmtKey(row.date, true)}</b>`}
    ${keys.map(
      (k, i) => html`<span>
        <i class=${sw(k, i)}></i>${k.label}
        ${row && html` <b>${fmt(row[k.key], unit) ?? 'not reported'}</b>`}
      </span>`,
    )}
    ${row && detail && html`<span>${detail(row)}</span>`}
  </div>`
  if (!has) {
    return html`<div class="chart" data-chart=${name} ref=${ref}>
      <p class="empty">Nothing reported in this range.</p>
    </div>`
  }

  const grid = ys.map(
    (v) => html`<g class="tick">
      <line x1=${M.l} x2=${M.l + w} y1=${y(v)} y2=${y(v)} class=${v === 0 ? 'zero' : ''} />
      <text x=${M.l - 6} y=${y(v) + 4} text-anchor="end">${fmtAxis(v, unit)}</text>
    </g>`,
  )
  const xLabels = labels.map((i) => {
    const anchor = x(i) - M.l < 30 ? 'start' : M.l + w - x(i) < 30 ? 'end' : 'middle'
    const text = fmtKey(data[i].date)
    return html`<text x=${x(i)} y=${height - 6} text-anchor=${anchor}>${text}</text>`
  })
  const dots = (k, i) =>
    num(row[k.key]) && html`<circle class="s${i}" cx=${x(hover)} cy=${y(row[k.key])} r="3.5" />`
  const cross =
    row &&
    html`<line class="cross" x1=${x(hover)} x2=${x(hover)} y1=${M.t} y2=${M.t + h} />
      ${kind === 'line' && keys.map(dots)}`
  return html`<div class="chart" data-chart=${name} ref=${ref}>
    ${readout}
    ${
      width > 0 &&
      html`<svg width=${width} height=${height} role="img" aria-label=${name} onPointerMove=${move}
      onPointerDown=${move} onPointerLeave=${() => setHover(-1)}>
      ${grid} ${xLabels}
      ${kind === 'bar' ? bars(data, keys, x, y, band) : lines(data, keys, x, y)} ${cross}
    </svg>`
    }
  </div>`
}

function lines(data, keys, x, y) {
  return keys.map((k, i) => {
    let d = ''
    let pen = false
    for (let j = 0; j < data.length; j++) {
      const v = data[j][k.key]
      // A missing value breaks the line instead of pretending it was zero.
      if (!num(v)) {
        pen = false
        continue
      }
      d += `${pen ? 'L' : 'M'}${x(j).toFixed(1)} ${y(v).toFixed(1)}`
      // A lone point would draw nothing; a zero-length segment with a round cap shows it as a dot.
      if (!pen && !num(data[j + 1]?.[k.key])) d += 'h0'
      pen = true
    }
    return html`<path class="line s${i}${k.dashed ? ' dashed' : ''}" d=${d} />`
  })
}

function bars(data, keys, x, y, band) {
  const group = Math.max(1, band * 0.8)
  const bw = group / keys.length
  const base = y(0)
  return data.map((r, j) =>
    keys.map((k, i) => {
      const v = r[k.key]
      if (!num(v)) return null
      // Grouped bars get a 1 px gap; a reported 0 stays flat, anything else is at least 1 px tall.
      const width = Math.max(1, bw - (keys.length > 1 ? 1 : 0))
      const height = Math.max(v === 0 ? 0 : 1, Math.abs(y(v) - base))
      return html`<rect class="bar s${i}${k.est ? ' est' : ''}" x=${x(j) - group / 2 + i * bw}
        y=${Math.min(base, y(v))} width=${width} height=${height} />`
    }),
  )
}
