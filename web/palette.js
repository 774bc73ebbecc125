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
  ['#4263eb', '#91a7ff'],
  ['#087f5b', '#63e6be'],
  ['#e67700', '#ffd43b'],
  ['#9c36b5', '#e599f7'],
  ['#0b7285', '#99e9f2'],
  ['#862e9c', '#da77f2'],
  ['#5c940d', '#c0eb75'],
  ['#a61e4d', '#ffa8a8'],
]

const dark = () => matchMedia('(prefers-color-scheme: dark)').matches

/** The palette name of a key ('Apple Music', 'applemusic' → 'apple'), or null for unknown keys. */
export function family(key) {
  const k = String(key ?? '').toLowerCase().replace(/[^a-z0-9]/g, '')
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
