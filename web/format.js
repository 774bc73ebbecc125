// Display formatting for cards and charts. The locale is pinned to en-US so separators do not depend
// on the viewer's browser settings and the browser tests can compare exact strings.
const nf = (o) => new Intl.NumberFormat('en-US', o)
const INT = nf({ maximumFractionDigits: 0 })
const ONE = nf({ maximumFractionDigits: 1 })
const TWO = nf({ minimumFractionDigits: 2, maximumFractionDigits: 2 })
const USD = nf({ style: 'currency', currency: 'USD' })
const SHORT = nf({ notation: 'compact', maximumFractionDigits: 1 })
const USD_AXIS = nf({
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 0,
  maximumFractionDigits: 2,
})
const USD_SHORT = nf({
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
})
const df = (o) => new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', ...o })
const DAY = df({ month: 'short', day: 'numeric' })
const DAY_Y = df({ month: 'short', day: 'numeric', year: 'numeric' })
const MONTH = df({ month: 'short', year: 'numeric' })

export const num = (v) => typeof v === 'number' && Number.isFinite(v)

/** The full number for a value in its unit, or null when there is none (never a stand-in 0). */
export function fmt(v, unit) {
  if (!num(v)) return null
  switch (unit) {
    case 'usd':
      return USD.format(v)
    case 'percent':
      return `${ONE.format(v)}%`
    case 'ratio':
      return `${TWO.format(v)}×`
    case 'days':
      return `${ONE.format(v)} ${v === 1 ? 'day' : 'days'}`
    default:
      return Number.isInteger(v) ? INT.format(v) : ONE.format(v)
  }
}

/** Short form for axis ticks, where space matters more than the last digit. */
export function fmtAxis(v, unit) {
  if (unit === 'usd') return (Math.abs(v) < 1000 ? USD_AXIS : USD_SHORT).format(v)
  if (unit === 'percent') return `${ONE.format(v)}%`
  if (unit === 'ratio') return `${ONE.format(v)}×`
  return SHORT.format(v)
}

export const fmtSigned = (v, unit) => (v > 0 ? '+' : '') + fmt(v, unit)

/** A fraction (0.125) as a percentage ("12.5%"). */
export const fmtShare = (f, signed) => (signed && f > 0 ? '+' : '') + `${ONE.format(f * 100)}%`

/** Milliseconds since epoch for 'YYYY-MM-DD' or 'YYYY-MM' keys; NaN for anything else (ISO weeks…). */
export function toTime(key) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) return Date.parse(key)
  if (/^\d{4}-\d{2}$/.test(key)) return Date.parse(`${key}-01`)
  return NaN
}

/** A series key for people: 'Nov 24' (or with the year), 'Nov 2026', or the key as is. */
export function fmtKey(key, withYear) {
  const t = toTime(key)
  if (Number.isNaN(t)) return String(key)
  if (key.length === 7) return MONTH.format(t)
  return (withYear ? DAY_Y : DAY).format(t)
}

/** How long ago an ISO timestamp was, in words short enough for a phone. */
export function fmtAgo(iso, now = Date.now()) {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return '—'
  const s = Math.round((now - t) / 1000)
  if (s < 45) return 'just now'
  if (s < 3600) return `${Math.round(s / 60)} min ago`
  if (s < 86400 * 2) return `${Math.round(s / 3600)} h ago`
  return `${Math.round(s / 86400)} days ago`
}

export function fmtDuration(from, to) {
  const ms = Date.parse(to) - Date.parse(from)
  if (!num(ms) || ms < 0) return ''
  if (ms < 60_000) return `${ONE.format(ms / 1000)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

export const fmtTime = (iso) =>
  Number.isNaN(Date.parse(iso)) ? '' : new Date(iso).toLocaleString()

// Only names that capitalising the first letter would get wrong.
const NAMES = {
  apple: 'Apple Music',
  applemusic: 'Apple Music',
  youtube: 'YouTube',
  distrokid: 'DistroKid',
  toolost: 'TooLost',
  tiktok: 'TikTok',
  metaads: 'Meta Ads',
}

/** A label for a source, platform or series field name. */
export function label(key) {
  const k = String(key)
  return NAMES[k.toLowerCase()] ?? k.charAt(0).toUpperCase() + k.slice(1).replace(/[_-]+/g, ' ')
}
