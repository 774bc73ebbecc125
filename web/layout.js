// Where every KPI sits, grouped as a label thinks about its numbers. A KPI the server has that is not
// listed here still gets a place (under "More"), so a new KPI never silently goes missing.
import { monthDetail } from './kpi.js'

const ARTIST = { key: 'artist' }
export const SECTIONS = [
  {
    id: 'money',
    title: 'Money',
    kpis: [
      ['revenue-total', { chart: 'bar', colour: 'money' }],
      ['revenue-per-stream', { valueTitle: 'Per stream' }],
      ['payment-lag', {}],
      ['revenue-expected-vs-actual', { wide: true, chart: 'bar', colour: 'money', detail: monthDetail, top: 12, valueTitle: 'Actual',
        keys: [{ key: 'value', label: 'Actual' }, { key: 'expected', label: 'Expected (estimated)', dashed: true, colour: 'var(--muted)' }] }],
      ['revenue-by-month', { chart: 'bar', colour: 'money', valueTitle: 'Earnings' }],
      ['revenue-by-store', { valueTitle: 'Earnings' }],
      ['revenue-by-artist', { pick: ARTIST, valueTitle: 'Earnings' }],
      ['revenue-by-track', { top: 10, valueTitle: 'Earnings' }],
      ['revenue-by-country', { top: 10, valueTitle: 'Earnings' }],
    ],
  },
  {
    id: 'streams',
    title: 'Streams',
    kpis: [
      ['streams-total', { chart: 'line', colour: 'streams' }],
      ['streams-daily-average', { chart: 'line', colour: 'streams' }],
      ['streams-growth', { chart: 'bar', colour: 'streams', valueTitle: 'Growth' }],
      ['streams-day-over-day', { valueTitle: 'Difference' }],
      ['streams-by-platform', { wide: true, chart: 'line', height: 220 }],
      ['streams-by-distributor', { chart: 'line' }],
      ['spotify-streams', { pick: ARTIST, chart: 'line', colour: 'spotify' }],
      ['spotify-listeners', { pick: ARTIST, chart: 'line', colour: 'spotify' }],
      ['spotify-followers', { pick: ARTIST, chart: 'line', colour: 'spotify' }],
    ],
  },
  {
    id: 'audience',
    title: 'Audience and marketing',
    kpis: [
      ['tiktok-views', { chart: 'line', colour: 'tiktok' }],
      ['tiktok-engagement', { chart: 'line', colour: 'tiktok' }],
      ['tiktok-followers', { chart: 'line', colour: 'tiktok' }],
      ['instagram-reach', { chart: 'line', colour: 'instagram' }],
      ['youtube-views', { chart: 'line', colour: 'youtube' }],
      ['linktree-clicks', { chart: 'line', colour: 'linktree' }],
      ['email-audience', { chart: 'line', colour: 'email' }],
      ['ad-spend', { chart: 'bar', colour: 'meta', valueTitle: 'Spend' }],
      ['roas', { pick: ARTIST, chart: 'line', colour: 'meta', valueTitle: 'ROAS' }],
      ['cost-per-follower', { pick: ARTIST, valueTitle: 'Per follower' }],
      ['attribution-lag', { chart: false }],
    ],
  },
]
// Operations: goals and alerts are KPIs with their own views (ops.js); sources, runs and
// notifications come from /health, /runs and /notifications.
export const OPS_KPIS = ['goals', 'alerts']
export const LISTED = new Set([...SECTIONS.flatMap((s) => s.kpis.map(([n]) => n)), ...OPS_KPIS])
