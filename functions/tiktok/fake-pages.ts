/**
 * @module The fake TikTok Studio's HTML: the login page and Analytics → Overview with the controls the
 * real one has (external_apis.md §2, seed_pipeline.md §3.4): a date-range dropdown whose options are
 * `span.TUXText` "Last 7 / 28 / 60 / 365 days" (7 preselected), a "Download data" button
 * (`div.TUXButton-label`), a modal with `input[type="radio"][name="CSV"]` / `[name="XLSX"]` and two
 * buttons labelled "Download" (the last one is the modal's). The download is fetched by the page's own
 * script and handed to the browser as a file; a refusal shows TikTok's toast instead of a file.
 */

export function loginPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Log in | TikTok</title></head>
<body><main><h1>Log in to TikTok</h1>
<form method="post" action="/login/phone-or-email/email">
<input name="username" type="text" placeholder="Email or username" autocomplete="username">
<input name="password" type="password" placeholder="Password" autocomplete="current-password">
<button type="submit" data-e2e="login-button">Log in</button></form></main></body></html>`
}

export function analyticsPage(account: string): string {
  const option = (d: number) => `<li role="option" data-days="${d}"><span class="TUXText">Last ${d} days</span></li>`
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TikTok Studio</title>
<style>.hidden{display:none}</style></head>
<body><nav data-e2e="studio-nav"><a href="/tiktokstudio">TikTok Studio</a> <span data-e2e="nickname">@${escapeHtml(account)}</span></nav>
<main><h1>Analytics</h1>
<div role="tablist"><div role="tab" aria-selected="true"><span class="TUXText">Overview</span></div></div>
<div class="date-range">
  <button class="TUXButton TUXButton--secondary" data-tt="date-range-trigger" aria-haspopup="listbox"><span class="TUXText" id="range-label">Last 7 days</span></button>
  <ul role="listbox" class="hidden" id="range-list">${[7, 28, 60, 365].map(option).join('')}</ul>
</div>
<button class="TUXButton TUXButton--primary" id="download-data"><div class="TUXButton-label">Download data</div></button>
<div role="dialog" class="hidden" id="export-modal" aria-label="Download data">
  <label><input type="radio" name="XLSX" value="XLSX"> XLSX</label>
  <label><input type="radio" name="CSV" value="CSV"> CSV</label>
  <button class="TUXButton" id="modal-cancel"><div class="TUXButton-label">Cancel</div></button>
  <button class="TUXButton TUXButton--primary" id="modal-download"><div class="TUXButton-label">Download</div></button>
</div>
<div class="TUXTopToast hidden" role="alert" id="toast"></div>
</main>
<script>
let days = 7
const $ = (id) => document.getElementById(id)
document.querySelector('[data-tt="date-range-trigger"]').addEventListener('click', () => $('range-list').classList.toggle('hidden'))
for (const li of document.querySelectorAll('#range-list li')) li.addEventListener('click', () => {
  days = Number(li.dataset.days); $('range-label').textContent = 'Last ' + days + ' days'; $('range-list').classList.add('hidden')
})
$('download-data').addEventListener('click', () => $('export-modal').classList.remove('hidden'))
$('modal-cancel').addEventListener('click', () => $('export-modal').classList.add('hidden'))
for (const r of document.querySelectorAll('#export-modal input[type=radio]')) r.addEventListener('change', () => {
  for (const o of document.querySelectorAll('#export-modal input[type=radio]')) if (o !== r) o.checked = false
})
$('modal-download').addEventListener('click', async () => {
  const format = document.querySelector('#export-modal input[type=radio]:checked')?.value || 'XLSX'
  const res = await fetch('/tiktokstudio/api/analytics/export?type=overview&days=' + days + '&format=' + format, { credentials: 'include' })
  if (res.status === 204) return
  const type = res.headers.get('content-type') || ''
  if (!res.ok || type.includes('json')) {
    let msg = 'Something went wrong. Try again later.'
    try { const j = await res.json(); if (j.status_code === 8) { location.href = '/login?redirect_url=%2Ftiktokstudio%2Fanalytics'; return } msg = j.status_msg || msg } catch {}
    $('toast').textContent = msg; $('toast').dataset.retryAfter = res.headers.get('retry-after') || ''; $('toast').classList.remove('hidden'); return
  }
  const name = (/filename="([^"]+)"/.exec(res.headers.get('content-disposition') || '') || [])[1] || 'Overview.zip'
  const a = document.createElement('a'); a.href = URL.createObjectURL(await res.blob()); a.download = name
  document.body.appendChild(a); a.click(); a.remove(); $('export-modal').classList.add('hidden')
})
</script></body></html>`
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
