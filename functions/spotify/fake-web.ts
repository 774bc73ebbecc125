/**
 * @module The fake Spotify's web side: the accounts.spotify.com sign-in form (`#login-username`,
 * `#login-password`, `#login-button`, then back to `continue`), and the S4A app pages. A logged-in app
 * page mints a fresh hour-long access token from the sp_dc session, keeps it in localStorage and calls
 * the API with it, as the real app does; a session past its life (fake clock) is sent to sign in.
 */
import { getCookie } from 'hono/cookie'
import type { Context } from 'hono'
import { CredentialStore } from '../../lib/credentials/store.ts'
import type { FakeSpotify } from './fake.ts'

function loginPage(next: string, error = '') {
  return `<!doctype html><html><head><title>Login - Spotify</title></head><body>
<form method="post" action="/login">${error ? `<p class="error">${error}</p>` : ''}
<input type="hidden" name="continue" value="${next.replace(/[&"<>]/g, '')}">
<input id="login-username" name="username" type="text"><input id="login-password" name="password" type="password">
<button id="login-button" type="submit">Log In</button></form></body></html>`
}

function appPage(token: string) {
  return `<!doctype html><html><head><title>Spotify for Artists</title></head><body>
<nav><a href="/c/audience"><span data-encore-id="text">Audience</span></a></nav>
<script>localStorage.setItem('accessToken', ${JSON.stringify(token)});
fetch('/s4x-me/v0/me', { headers: { authorization: 'Bearer ' + ${JSON.stringify(token)}, 'app-platform': 'Browser' } })</script></body></html>`
}

/** Only a path on this host: `continue` must not send the browser elsewhere. */
function safeNext(raw: unknown): string {
  const v = typeof raw === 'string' ? raw : ''
  if (!v) return '/home'
  try {
    const u = new URL(v, 'http://x')
    return u.pathname.startsWith('/') && !u.pathname.startsWith('//') ? u.pathname + u.search : '/home'
  } catch {
    return '/home'
  }
}

export function mountWebPages(fake: FakeSpotify): void {
  const { app, clock } = fake
  app.get('/login', (c) => c.html(loginPage(safeNext(c.req.query('continue')))))
  app.post('/login', async (c) => {
    const body = await c.req.parseBody()
    const login = fake.logins[String(body.username ?? '')]
    if (!login || login.password !== body.password) return c.html(loginPage(safeNext(body.continue), 'Incorrect username or password.'))
    const { sp_dc } = fake.createSession(login.artistIds)
    c.header('Set-Cookie', `sp_dc=${sp_dc}; Path=/; Max-Age=${Math.floor(fake.sessionTtlMs / 1000)}; HttpOnly; SameSite=Lax`)
    return c.redirect(safeNext(body.continue), 302)
  })
  const page = (c: Context) => {
    const s = fake.webSessions.get(getCookie(c, 'sp_dc') ?? '')
    if (!s || s.expiresAt <= clock.ms()) return c.redirect(`/login?continue=${encodeURIComponent(new URL(c.req.url).pathname)}`, 302)
    return c.html(appPage(fake.issueToken(s.artistIds)))
  }
  app.get('/home', page)
  app.get('/c/*', page)
  app.get('/s4x-me/v0/me', (c) => c.json({ hasAccess: true, username: 'fake-user', loginEmail: 'artist@example.com' }))
}

/** The demo's login for both artists: a web session each (what the sign-in form would create) and its first token. */
export async function spotifyDemoLogin(fake: FakeSpotify, sessionsDir: string, url: string): Promise<void> {
  const store = new CredentialStore(sessionsDir)
  for (const [account, id] of [
    ['ZONE A0', '62owJQCD2XzVB2o19CVsFM'],
    ['PIG1987', '1Eu67EqPy2NutiM0lqCarw'],
  ]) {
    const session = fake.createSession([id])
    const cookie = {
      name: 'sp_dc',
      value: session.sp_dc,
      domain: new URL(url).hostname,
      path: '/',
      expires: Math.floor(session.expiresAt.getTime() / 1000),
      httpOnly: true,
      secure: false,
      sameSite: 'Lax' as const,
    }
    await store.save('spotify', account, { token: fake.issueToken([id]), storageState: { cookies: [cookie], origins: [] } })
  }
}
