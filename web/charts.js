// Inline SVG charts: a line chart on a time axis and a grouped bar chart on a band axis. Honest by
// construction: the top tick is always above the highest point, a missing value is a gap (never 0),
// an incomplete point (the KPI marks it) is dashed or hatched with its reason on hover, and every
// value is readable by pointer and by keyboard (arrow keys move the readout).
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { fmt, fmtAxis, fmtKey, html, num, toTime } from './format.js'

const M = { l: 54, r: 12, t: 10, b: 24 }

function useWidth() {
  const ref = useRef(null)
  const [width, setWidth] = useState(0)
  useLayoutEffect(() => {
    const el = ref.current
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

/**
 * Round ticks covering [lo, hi] with headroom: 0 is always included (bars and trends are not
 * exaggerated) and the top tick is at least 5% above the highest value, so no point touches the frame.
 */
export function ticks(lo, hi) {
  if (lo === hi) hi = lo + 1
  const span = hi - lo
  const step = niceStep((span * 1.05) / 4)
  const top = Math.ceil((hi + span * 0.05) / step) * step
  const bottom = lo < 0 ? Math.floor((lo - span * 0.05) / step) * step : 0
  const out = []
  for (let v = bottom; v <= top + step / 2; v += step) out.push(+v.toPrecision(12))
  return out
}

/**
 * rows: [{date, incomplete?, reason?, ...numbers}] in date order; keys: [{key, label, colour, dashed?}].
 * `domain` ([t0, t1]) lines up several charts on one time axis; `detail(row)` adds readout text.
 */
export function Chart({ rows, keys, unit, kind = 'line', height = 180, domain, detail, name, title }) {
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
  for (const r of data) for (const k of keys) if (num(r[k.key])) (lo = Math.min(lo, r[k.key])), (hi = Math.max(hi, r[k.key]))
  const ys = ticks(lo, hi)
  const [y0, y1] = [ys[0], ys[ys.length - 1]]
  const y = (v) => M.t + h - ((v - y0) / (y1 - y0)) * h
  const band = w / Math.max(1, data.length)
  const t0 = domain?.[0] ?? times[0]
  const t1 = domain?.[1] ?? times[times.length - 1]
  const x = timeAxis ? (i) => M.l + (t1 > t0 ? ((times[i] - t0) / (t1 - t0)) * w : w / 2) : (i) => M.l + band * (i + 0.5)

  const move = (e) => {
    const px = e.clientX - e.currentTarget.getBoundingClientRect().left
    let best = -1
    let dist = Infinity
    for (let i = 0; i < data.length; i++) {
      const d = Math.abs(x(i) - px)
      if (d < dist) (best = i), (dist = d)
    }
    setHover(best)
  }
  const key = (e) => {
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -Infinity, End: Infinity }[e.key]
    if (step === undefined) return
    e.preventDefault()
    setHover((i) => Math.max(0, Math.min(data.length - 1, i < 0 ? (step > 0 ? 0 : data.length - 1) : i + step)))
  }

  const row = data[hover]
  const readout = html`<div class="readout" aria-live="polite">
    ${row && html`<b>${fmtKey(row.date, true)}</b>`}
    ${keys.map(
      (k) => html`<span data-key=${k.key}>
        <i class=${`sw${k.dashed ? ' dashed' : ''}`} style=${`--k:${k.colour}`}></i>${k.label}
        ${row && html` <b>${fmt(row[k.key], unit) ?? 'not reported'}</b>`}
      </span>`,
    )}
    ${row?.incomplete && html`<span class="inc-note">incomplete: ${row.reason ?? 'not every source has reported'}</span>`}
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
  const every = Math.max(1, Math.ceil(data.length / Math.max(2, Math.floor(w / 90))))
  const xLabels = data
    .map((_, i) => i)
    .filter((i) => i % every === 0)
    .map((i) => {
      const anchor = x(i) - M.l < 30 ? 'start' : M.l + w - x(i) < 30 ? 'end' : 'middle'
      return html`<text x=${x(i)} y=${height - 6} text-anchor=${anchor}>${fmtKey(data[i].date)}</text>`
    })
  const cross =
    row &&
    html`<line class="cross" x1=${x(hover)} x2=${x(hover)} y1=${M.t} y2=${M.t + h} />
      ${kind === 'line' && keys.map((k) => num(row[k.key]) && html`<circle style=${`--k:${k.colour}`} cx=${x(hover)} cy=${y(row[k.key])} r="3.5" />`)}`
  const label = `${title ?? name}: ${kind} chart of ${data.length} points. Use the left and right arrow keys to read each value.`
  return html`<div class="chart" data-chart=${name} ref=${ref}>
    ${readout}
    ${
      width > 0 &&
      html`<svg width=${width} height=${height} tabindex="0" role="img" aria-label=${label}
        data-top=${y(y1)} onPointerMove=${move} onPointerDown=${move} onKeyDown=${key}
        onPointerLeave=${() => setHover(-1)} onBlur=${() => setHover(-1)}>
      <defs><pattern id=${`hatch-${name}`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <line x1="0" y1="0" x2="0" y2="6" class="hatch" /></pattern></defs>
      ${grid} ${xLabels}
      ${kind === 'bar' ? bars(data, keys, x, y, band, name) : lines(data, keys, x, y)} ${cross}
    </svg>`
    }
  </div>`
}

/** One path per key for complete stretches and one (dashed) for stretches touching an incomplete point. */
function lines(data, keys, x, y) {
  return keys.map((k) => {
    const d = ['', '']
    let prev = -1
    for (let j = 0; j < data.length; j++) {
      const v = data[j][k.key]
      if (!num(v)) {
        prev = -1
        continue
      }
      const p = `${x(j).toFixed(1)} ${y(v).toFixed(1)}`
      if (prev < 0) {
        // A lone point would draw nothing: a zero-length segment with a round cap shows it as a dot.
        if (!num(data[j + 1]?.[k.key])) d[data[j].incomplete ? 1 : 0] += `M${p}h0`
      } else {
        const part = data[j].incomplete || data[prev].incomplete ? 1 : 0
        d[part] += `M${x(prev).toFixed(1)} ${y(data[prev][k.key]).toFixed(1)}L${p}`
      }
      prev = j
    }
    const style = `--k:${k.colour}`
    const marks = data.map(
      (r, j) =>
        r.incomplete &&
        num(r[k.key]) &&
        html`<circle class="inc" style=${style} cx=${x(j)} cy=${y(r[k.key])} r="3"><title>${fmtKey(r.date, true)}: incomplete, ${r.reason ?? 'not every source has reported'}</title></circle>`,
    )
    return html`<g data-key=${k.key} style=${style}>
      <path class=${`line${k.dashed ? ' dashed' : ''}`} d=${d[0]} />
      <path class="line partial" d=${d[1]} />${marks}
    </g>`
  })
}

function bars(data, keys, x, y, band, name) {
  const group = Math.max(1, band * 0.8)
  const bw = group / keys.length
  const base = y(0)
  return keys.map(
    (k, i) => html`<g data-key=${k.key} style=${`--k:${k.colour}`}>
      ${data.map((r, j) => {
        const v = r[k.key]
        if (!num(v)) return null
        const width = Math.max(1, bw - (keys.length > 1 ? 1 : 0))
        const height = Math.max(v === 0 ? 0 : 1, Math.abs(y(v) - base))
        const inc = r.incomplete
        const box = { x: x(j) - group / 2 + i * bw, y: Math.min(base, y(v)), width, height }
        return html`<rect class=${`bar${k.dashed ? ' est' : ''}${inc ? ' inc' : ''}`} ...${box}>
            ${inc && html`<title>${fmtKey(r.date, true)}: incomplete, ${r.reason ?? 'not every store has reported'}</title>`}
          </rect>
          ${inc && html`<rect class="hatched" fill=${`url(#hatch-${name})`} ...${box} />`}`
      })}
    </g>`,
  )
}
