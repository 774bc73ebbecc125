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
export function csvRows(rows) {
  return rows.map((r) => {
    const out = {}
    for (const [k, v] of Object.entries(r)) {
      if (v && typeof v === 'object' && !Array.isArray(v))
        for (const [k2, v2] of Object.entries(v)) out[`${k}.${k2}`] = cell(v2)
      else out[k] = cell(v)
    }
    if (typeof r.exact === 'string') out.value = r.exact
    return out
  })
}
const cell = (v) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : typeof v === 'object' ? JSON.stringify(v) : String(v))

export async function downloadCsv(filename, rows) {
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
