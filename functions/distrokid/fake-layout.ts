/**
 * @module Shared pieces of the fake DistroKid's pages: the site layout (header, nav, footer and the
 * tracking tags real pages carry) and the date/number helpers the chart builders use.
 */
import type { DailyPoint } from './fake.ts'

export const DAY = 86_400_000
export const toMs = (d: string) => Date.parse(`${d}T00:00:00Z`)
export const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)
export const total = (ps: DailyPoint[]) => ps.reduce((a, p) => a + p.streams, 0)
export const lastN = (ps: DailyPoint[], n: number) => total(ps.slice(Math.max(0, ps.length - n)))
// The real header tables print '677,589'.
export const thousands = (n: number) => n.toLocaleString('en-US')
export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
export const mondayOf = (d: string) => iso(toMs(d) - ((new Date(toMs(d)).getUTCDay() + 6) % 7) * DAY)

/** Groups date-sorted points by key; DistroKid labels each bucket by its first date. */
export function bucket(ps: DailyPoint[], key: (d: string) => string) {
  const out = new Map<string, { first: string; value: number }>()
  for (const p of ps) {
    const b = out.get(key(p.date))
    if (b) b.value += p.streams
    else out.set(key(p.date), { first: p.date, value: p.streams })
  }
  return [...out.values()]
}

/**
 * MySQL WEEK() mode 1 (Monday start, week 1 has 4+ days, never wraps into the next year). The real
 * byWeek groups Monday weeks but labels them so: 2024-12-30..2025-01-05 is '53/24', then '02/25'.
 */
export function mysqlWeek(d: string): string {
  const jan1 = toMs(`${d.slice(0, 4)}-01-01`)
  const dow = (new Date(jan1).getUTCDay() + 6) % 7
  const week1 = dow <= 3 ? jan1 - dow * DAY : jan1 + (7 - dow) * DAY
  const w = toMs(d) < week1 ? 0 : Math.floor((toMs(d) - week1) / (7 * DAY)) + 1
  return String(w).padStart(2, '0')
}

const NAV: [string, string][] = [
  ['/mymusic/', 'My Music'],
  ['/stats/?data=streams', 'Stats'],
  ['/teams', 'Splits'],
  ['/bank', 'Bank'],
]
const LANGS = ['de', 'en', 'es', 'fr', 'it', 'ja', 'nl', 'pt', 'sv', 'tr']

/** Shared chrome: real pages are mostly nav, styles and tracking tags around the data. */
export function layout(title: string, body: string, loggedIn: boolean): string {
  const css = NAV.map((_, i) => `.nav-item-${i}\n{\nmargin: ${i}px;\npadding: ${i + 2}px;\n}`)
  const links = loggedIn ? NAV : [['/signin', 'Sign in']]
  const nav = links.map(
    ([href, text]) => `<div class="showNav">
<a href="${href}" class="nav-href">
<span class="nav-link">
${text}
</span>
</a>
</div>`,
  )
  const options = LANGS.map((l) => `<option value="${l}">${l}</option>`).join('')
  return `<!DOCTYPE html><html lang="en"><head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
${css.join('\n')}
</style>
<script async="" src="https://www.googletagmanager.com/gtag/js?id=AW-000000000"></script>
<script>
window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);}
</script>
</head>
<body class="">
<div class="nav-container">
${nav.join('\n')}
</div>
<div class="everythingButNavNoTopMargin">
${body}
</div>
<div class="footerStuff wrapper">
<select id="sitetran_select">${options}</select>
<span class="footer-copyright">© DistroKid</span>
</div>
<iframe height="0" width="0" aria-hidden="true" style="display:none;"></iframe></body></html>`
}
