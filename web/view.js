// The view (range, artist, track) lives in the URL, so a filtered view can be bookmarked and survives
// a reload; back/forward walk through filters.
export const RANGES = ['7', '28', '90', '365', 'all']

export function readView() {
  const q = new URLSearchParams(location.search)
  const days = RANGES.includes(q.get('days')) ? q.get('days') : '28'
  return { days, artist: q.get('artist') || null, track: q.get('track') || null }
}

export function writeView(v) {
  const q = new URLSearchParams()
  if (v.days !== '28') q.set('days', v.days)
  if (v.artist) q.set('artist', v.artist)
  if (v.track) q.set('track', v.track)
  const s = q.toString()
  history.pushState(null, '', s ? `?${s}` : location.pathname)
}
