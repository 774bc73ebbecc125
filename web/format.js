// Display formatting: numbers in the reader's locale (navigator.language), dates in the label's time
// zone (BEDROT_TZ from /config.json). Money shows cents below $1,000 and when the cents matter.
// htm bound to Preact here rather than via htm/preact: one module fewer on the first load.
import htm from 'htm'
import { h } from 'preact'

export const html = htm.bind(h)

// The server renders the first screen too (lib/web.ts), where there is no navigator: it sets the
// locale from the request's Accept-Language instead (setLocale).
let LOCALE = (typeof navigator !== 'undefined' && navigator.language) || 'en-US'
let TZ = 'UTC'
const cache = new Map()

export function setLocale(locale) {
  try {
    const [l] = Intl.NumberFormat.supportedLocalesOf(locale)
    if (l && l !== LOCALE) {
      LOCALE = l
      cache.clear()
    }
  } catch {
    // Not a language tag: keep the current locale.
  }
}
const nf = (o) => {
  const k = JSON.stringify(o)
  if (!cache.has(k)) cache.set(k, new Intl.NumberFormat(LOCALE, o))
  return cache.get(k)
}
const df = (o) => {
  const k = `d${TZ}${JSON.stringify(o)}`
  if (!cache.has(k)) cache.set(k, new Intl.DateTimeFormat(LOCALE, { timeZone: TZ, ...o }))
  return cache.get(k)
}
// Business dates ('2025-05-27') are calendar days, not instants: shown as is, never shifted by a zone.
const dayf = (o) => {
  const k = `b${JSON.stringify(o)}`
  if (!cache.has(k)) cache.set(k, new Intl.DateTimeFormat(LOCALE, { timeZone: 'UTC', ...o }))
  return cache.get(k)
}

export function setTimeZone(tz) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    TZ = tz
  } catch {
    TZ = 'UTC'
  }
}
export const timeZone = () => TZ

export const num = (v) => typeof v === 'number' && Number.isFinite(v)

const UNIT_WORDS = {
  streams: '',
  listeners: '',
  followers: '',
  count: '',
  months: ['month', 'months'],
  days: ['day', 'days'],
}

function usd(v) {
  const a = Math.abs(v)
  // Sub-dollar amounts (revenue per stream) need more than two decimals to say anything.
  if (a > 0 && a < 0.1) return nf({ style: 'currency', currency: 'USD', maximumSignificantDigits: 3 }).format(v)
  const cents = a < 1000 || Math.round(v) !== v
  return nf({
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: cents && a < 100000 ? 2 : 0,
    maximumFractionDigits: cents && a < 100000 ? 2 : 0,
  }).format(v)
}

/** The full number for a value in its unit, or null when there is none (never a stand-in 0). */
export function fmt(v, unit) {
  if (!num(v)) return null
  switch (unit) {
    case 'usd':
      return usd(v)
    case 'percent':
      return `${nf({ maximumFractionDigits: 1 }).format(v)}%`
    case 'share':
      return nf({ style: 'percent', maximumFractionDigits: 1 }).format(v)
    case 'ratio':
      return `${nf({ minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v)}×`
    case 'r':
      return nf({ minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v)
    default: {
      const words = UNIT_WORDS[unit]
      const n = nf({ maximumFractionDigits: Number.isInteger(v) ? 0 : 1 })
      if (Array.isArray(words)) return `${n.format(v)} ${v === 1 ? words[0] : words[1]}`
      return n.format(v)
    }
  }
}

/** Short form for axis ticks, where space matters more than the last digit. */
export function fmtAxis(v, unit) {
  const short = nf({ notation: 'compact', maximumFractionDigits: 1 })
  if (unit === 'usd')
    return Math.abs(v) < 1000
      ? nf({ style: 'currency', currency: 'USD', maximumFractionDigits: 2 }).format(v)
      : nf({ style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 }).format(v)
  if (unit === 'percent') return `${short.format(v)}%`
  if (unit === 'ratio') return `${short.format(v)}×`
  if (unit === 'share') return nf({ style: 'percent', maximumFractionDigits: 0 }).format(v)
  return short.format(v)
}

export const fmtSigned = (v, unit) => (num(v) ? (v > 0 ? '+' : '') + fmt(v, unit) : null)

/** A fraction (0.125) as a percentage ("12.5%"). */
export const fmtShare = (f, signed) => (num(f) ? (signed && f > 0 ? '+' : '') + fmt(f, 'share') : null)

/** Milliseconds since epoch for 'YYYY-MM-DD' or 'YYYY-MM' keys; NaN for anything else (ISO weeks…). */
export function toTime(key) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) return Date.parse(key)
  if (/^\d{4}-\d{2}$/.test(key)) return Date.parse(`${key}-01`)
  return NaN
}

/** A series key for people: 'May 24' (or with the year), 'May 2025', or the key as is. */
export function fmtKey(key, withYear) {
  const t = toTime(key)
  if (Number.isNaN(t)) return String(key ?? '')
  if (key.length === 7) return dayf({ month: 'short', year: 'numeric' }).format(t)
  return dayf(withYear ? { month: 'short', day: 'numeric', year: 'numeric' } : { month: 'short', day: 'numeric' }).format(t)
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
  if (ms < 60_000) return `${nf({ maximumFractionDigits: 1 }).format(ms / 1000)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

/** An instant (run start, update time) in the label's time zone. */
export const fmtTime = (iso, timeOnly) =>
  Number.isNaN(Date.parse(iso)) ? '' : df(timeOnly ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))

// Only names that capitalising the first letter would get wrong.
const NAMES = {
  apple: 'Apple Music',
  applemusic: 'Apple Music',
  youtube: 'YouTube',
  distrokid: 'DistroKid',
  toolost: 'TooLost',
  tiktok: 'TikTok',
  metaads: 'Meta Ads',
  linktree: 'Linktree',
  ctr: 'CTR',
  cpc: 'CPC',
  cpm: 'CPM',
}

/** A label for a source, platform or field name ('maxDailyReach' → 'Max daily reach'). */
export function label(key) {
  const k = String(key ?? '')
  if (NAMES[k.toLowerCase()]) return NAMES[k.toLowerCase()]
  const spaced = k.replace(/([a-z])([A-Z])/g, (_, a, b) => `${a} ${b.toLowerCase()}`).replace(/[_-]+/g, ' ')
  return spaced.charAt(0).toUpperCase() + spaced.slice(1)
}

// One colour per platform, source and artist, everywhere on the page: a fixed map for the names we
// know and a stable hash into a fixed palette for the rest (artists), so a key never changes colour
// between views. Each pair is [light, dark]; both keep 3:1 against their background (WCAG graphics).
const KNOWN = {
  spotify: ['#1a7f37', '#3fb950'],
  apple: ['#c2255c', '#f783ac'],
  youtube: ['#c92a2a', '#ff8787'],
  amazon: ['#b35c00', '#ffa94d'],
  tidal: ['#1864ab', '#74c0fc'],
  deezer: ['#6741d9', '#b197fc'],
  distrokid: ['#364fc7', '#91a7ff'],
  toolost: ['#0b7285', '#66d9e8'],
  tiktok: ['#212529', '#e9ecef'],
  instagram: ['#a61e4d', '#faa2c1'],
  meta: ['#1c7ed6', '#a5d8ff'],
  linktree: ['#2b8a3e', '#8ce99a'],
  email: ['#d9480f', '#ffc078'],
  other: ['#5c636a', '#adb5bd'],
  money: ['#8f5b00', '#fcc419'],
}
const ALIASES = [
  [/^spotify/, 'spotify'],
  [/^(apple|itunes)/, 'apple'],
  [/^youtube/, 'youtube'],
  [/^amazon/, 'amazon'],
  [/^tidal/, 'tidal'],
  [/^deezer/, 'deezer'],
  [/^distrokid/, 'distrokid'],
  [/^toolost/, 'toolost'],
  [/^tiktok/, 'tiktok'],
  [/^instagram/, 'instagram'],
  [/^(meta|facebook)/, 'meta'],
  [/^linktree/, 'linktree'],
  [/^(email|mailchimp)/, 'email'],
  [/^others?$/, 'other'],
  [/^money$/, 'money'],
]
const SPARE = [
  ['#4c6ef5', '#91a7ff'],
  ['#e8590c', '#ffa94d'],
  ['#9c36b5', '#e599f7'],
  ['#0c8599', '#66d9e8'],
  ['#c2255c', '#faa2c1'],
  ['#5c940d', '#c0eb75'],
  ['#8d5524', '#e0a370'],
  ['#2f9e44', '#8ce99a'],
]

// The server cannot know the reader's scheme: it renders the light colours (the page hydrates over them).
export const dark = () => typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches

/** The palette name of a key ('Apple Music', 'applemusic' → 'apple'), or null for unknown keys. */
export function family(key) {
  const k = String(key ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
  for (const [re, name] of ALIASES) if (re.test(k)) return name
  return null
}

/** The colour of a series or row key, the same in every chart, legend and table. */
export function colour(key) {
  if (key === 'streams') return 'var(--accent)'
  const f = family(key)
  const pair = f ? KNOWN[f] : SPARE[hash(String(key).toUpperCase()) % SPARE.length]
  return pair[dark() ? 1 : 0]
}

function hash(s) {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0
  return h
}
