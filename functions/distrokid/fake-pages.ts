/**
 * @module HTML builders for the DistroKid fake: the sign-in and 2FA pages, the dashboard, the bank
 * pages with the download button; the stats pages live in distrokid-stats-pages.ts.
 */
import { escapeHtml, layout } from './fake-layout.ts'

export { appleChartData, applePage, streamsPage } from './fake-stats-pages.ts'

const notice = (error?: string) => `<div class="signinBoxNotification">${error ? escapeHtml(error) : ''}</div>`

/** The standalone sign-in page. It carries no chart data, so parsers must report "no data". */
export function signinPage(error?: string): string {
  const body = `<div class="outer">
<div style="font-size:14pt;font-weight:bold;margin:40px 0px 40px 0px;">
Sign in to your DistroKid account
</div>
</div>
<div class="outer" style="font-weight: 400;">
<div class="inner innerLoginForm">
${notice(error)}
<form id="signinFormStandalone" method="post" action="/signin">
<input autocapitalize="off" id="inputEmail" name="email" type="email" placeholder="Email">
<input id="inputPassword" name="password" type="password" placeholder="Password">
<button type="submit" class="register-button-modern" id="signInButtonStandalone">Sign in</button>
</form>
<div class="dk-signinForgotPassword">
<a href="/forgotPassword/">Forgot password?</a>
</div>
</div>
</div>`
  return layout('Sign in to your DistroKid account', body, false)
}

export function twoFactorPage(error?: string): string {
  const body = `<div class="outer">
<div style="font-size:14pt;font-weight:bold;margin:40px 0px 40px 0px;">
Two-factor authentication
</div>
${notice(error)}
<form id="twoFactorForm" method="post" action="/signin/2fa">
<input name="code" type="text" inputmode="numeric" autocomplete="one-time-code" placeholder="Code">
<button type="submit">Verify</button>
</form>
</div>`
  return layout('Two-factor authentication | DistroKid', body, false)
}

export const dashboardPage = () =>
  layout('My Music | DistroKid', '<h1>My Music</h1>\n<div class="albumList">\n<a href="/stats/?data=streams">Stats</a>\n</div>', true)

export const bankPage = () =>
  layout(
    'Bank | DistroKid',
    `<h1>Bank</h1>
<div class="bankBalance">
<a href="/bank/details/">See excruciating detail</a>
</div>`,
    true,
  )

// The pipeline clicks div[onclick^="downloadBank"]; loading an attachment starts the download.
export const bankDetailsPage = () =>
  layout(
    'Bank details | DistroKid',
    `<h1>Excruciating detail</h1>
<div class="buttonSmall" onclick="downloadBank()">Download as TSV</div>
<script>
function downloadBank() {
window.location.href = '/bank/details/download';
}
</script>`,
    true,
  )

export const notFoundPage = () => layout('Page not found | DistroKid', '<h1>404</h1>\n<p>Sorry, that page does not exist.</p>', false)
