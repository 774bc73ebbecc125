/**
 * @module Renewal by letting the web app do it: headless Chromium opens the app with the stored session
 * and takes the bearer token the app itself sends to its API (or keeps in localStorage). No client id,
 * no refresh-token protocol to imitate: whatever the app does to stay logged in, this does too, for as
 * long as the person's login cookie is good. A sign-in page instead of the app means the login is gone.
 */
import type { Context } from '../context.ts'
import { isLoginWall } from '../browser/browser.ts'
import type { RenewToken } from './renew.ts'
import { SessionGone } from './renew.ts'
import { jwtExpiry, type StorageState } from './store.ts'

export interface BrowserRenewal {
  /** A page of the web app that, logged in, calls the API with the bearer token. */
  appUrl: string
  /** Origins of the API the app calls; a request there with `Authorization: Bearer …` carries the token. */
  apiOrigins: string[]
  /** localStorage keys the app may keep the token under, looked at when no request carried it. */
  storageKeys?: string[]
  /** Life of a token that does not state its own expiry (not a JWT). */
  ttlMs: number
}

const WAIT_FOR_TOKEN_MS = 10_000

export function browserRenewal(options: (ctx: Context, account: string) => BrowserRenewal): RenewToken {
  return async (ctx, account, session) => {
    const o = options(ctx, account)
    const { result, storageState } = await ctx.browser.withSession(session.storageState, async (page) => {
      let seen: (token: string) => void = () => {}
      const fromRequest = new Promise<string>((resolve) => (seen = resolve))
      page.on('request', (req) => {
        const bearer = /^Bearer (\S+)$/i.exec(req.headers().authorization ?? '')?.[1]
        if (bearer && o.apiOrigins.includes(new URL(req.url()).origin)) seen(bearer)
      })
      await page.goto(o.appUrl, { waitUntil: 'load' })
      if (await isLoginWall(page)) throw new SessionGone(`${new URL(page.url()).host} asked to sign in again`)
      const wait = (ms: number) => Promise.race([fromRequest, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))])
      // The stored state brings the old token back into localStorage; only a different one is fresh.
      const old = new Set([session.token, session.access?.token])
      const fromStorage = async () => {
        const values = await page.evaluate((keys) => keys.map((k) => localStorage.getItem(k)), o.storageKeys ?? [])
        return values.find((v): v is string => !!v && v.length >= 16 && !old.has(v)) ?? null
      }
      const token = (await wait(WAIT_FOR_TOKEN_MS / 4)) ?? (await fromStorage()) ?? (await wait(WAIT_FOR_TOKEN_MS))
      if (!token) throw new Error(`the app at ${new URL(o.appUrl).host} loaded but sent no access token within ${WAIT_FOR_TOKEN_MS / 1000} s`)
      return token
    })
    const expiresAt = jwtExpiry(result) ?? new Date(ctx.credentials.now().getTime() + o.ttlMs)
    return { token: result, expiresAt, storageState: storageState as StorageState }
  }
}
