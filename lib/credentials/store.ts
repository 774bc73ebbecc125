/**
 * @module The credential store: one file per source and account under BEDROT_SESSIONS_DIR (outside the
 * lake, git-ignored, mode 0600) holding a Playwright storageState or a token, the capture time and the
 * computed expiry. Status and listings never contain a secret value.
 */
import { chmod, mkdir, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../lake/atomic.ts'
import { fileFingerprintSync } from '../lake/hash.ts'
import { registerSecret } from '../log.ts'
import type { Sources } from '../source.ts'
import type { SessionPolicy } from './policy.ts'

const Cookie = z.object({
  name: z.string(),
  value: z.string(),
  domain: z.string(),
  path: z.string(),
  expires: z.number(),
  httpOnly: z.boolean().default(false),
  secure: z.boolean().default(false),
  sameSite: z.enum(['Lax', 'None', 'Strict']).default('Lax'),
})
export const StorageState = z.object({
  cookies: z.array(Cookie),
  origins: z.array(z.object({ origin: z.string(), localStorage: z.array(z.object({ name: z.string(), value: z.string() })) })),
})
export type StorageState = z.infer<typeof StorageState>

const StoredSession = z.object({
  source: z.string(),
  account: z.string(),
  capturedAt: z.string(),
  storageState: StorageState.optional(),
  token: z.string().optional(),
  /** The short-lived access token renewed from the session without a person (lib/credentials/renew.ts). */
  access: z.object({ token: z.string(), expiresAt: z.string(), renewedAt: z.string() }).optional(),
  /** Set when renewal met a sign-in page: the login behind the session is gone, whatever its dates say. */
  deadAt: z.string().optional(),
  deadReason: z.string().optional(),
})
export type StoredSession = z.infer<typeof StoredSession>

export type SessionState = 'valid' | 'expiring' | 'expired' | 'missing'

export interface SessionStatus {
  source: string
  account: string
  status: SessionState
  capturedAt: string | null
  expiresAt: string | null
  daysLeft: number | null
  /** What a person runs to log in again. */
  command: string
  /** When the short access token was last renewed from this session without a person. */
  renewedAt?: string
  /** Why a session is expired before its dates say so (renewal met a sign-in page). */
  reason?: string
}

const DAY = 86_400_000

/** Expiry claimed by a JWT's `exp`, if the token is a JWT. */
export function jwtExpiry(token: string): Date | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown }
    return typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : null
  } catch {
    return null
  }
}

/** The one expiry rule: earliest of the critical cookie / JWT expiry and captured time + max age. */
export function sessionExpiry(s: StoredSession, policy: SessionPolicy): Date {
  const bounds = [new Date(Date.parse(s.capturedAt) + policy.maxAgeDays * DAY)]
  for (const c of s.storageState?.cookies ?? []) {
    // expires -1 marks a browser-session cookie: no expiry of its own.
    if (policy.criticalCookies?.includes(c.name) && c.expires > 0) bounds.push(new Date(c.expires * 1000))
  }
  // A JWT bounds the session only when no longer-lived login cookie stands behind it to renew it.
  const renewable = s.storageState?.cookies.some((c) => policy.criticalCookies?.includes(c.name)) ?? false
  const jwt = s.token ?? (renewable ? undefined : s.access?.token)
  if (policy.jwt && jwt && !renewable) {
    const exp = jwtExpiry(jwt)
    if (exp) bounds.push(exp)
  }
  return new Date(Math.min(...bounds.map((d) => d.getTime())))
}

/** What a person runs to log in again. */
export function authCommand(source: string, account: string): string {
  return account === 'default' ? `npm run auth -- ${source}` : `npm run auth -- ${source} '${account}'`
}

export class CredentialStore {
  /**
   * `sources` supplies each source's session policy and accounts (its declaration); a store without
   * them can save and load, and reports every status as `missing`.
   */
  constructor(
    readonly dir: string,
    readonly now: () => Date = () => new Date(),
    private sources: Sources = new Map(),
  ) {}

  private parsed = new Map<string, { print: string; session: StoredSession }>()

  private file(source: string, account: string): string {
    return path.join(this.dir, source, `${encodeURIComponent(account)}.json`)
  }

  async save(source: string, account: string, secret: Pick<StoredSession, 'storageState' | 'token' | 'access'>, capturedAt = this.now()) {
    const record: StoredSession = { source, account, capturedAt: capturedAt.toISOString(), ...secret }
    StoredSession.parse(record)
    await mkdir(path.join(this.dir, source), { recursive: true, mode: 0o700 })
    const file = this.file(source, account)
    await writeFileAtomic(file, JSON.stringify(record), 0o600)
    await chmod(file, 0o600)
  }

  /** Changes a stored session in place, keeping its capture time (renewal does not extend the login). */
  async update(source: string, account: string, patch: Partial<Omit<StoredSession, 'source' | 'account' | 'capturedAt'>>) {
    const current = await this.load(source, account)
    if (!current) throw new Error(`no stored session for ${source} (${account})`)
    const record = StoredSession.parse({ ...current, ...patch })
    registerSecret(record.access?.token)
    await writeFileAtomic(this.file(source, account), JSON.stringify(record), 0o600)
  }

  async remove(source: string, account: string) {
    await rm(this.file(source, account), { force: true })
  }

  /**
   * The stored session; its secret values are registered with the log scrubber before anyone sees them.
   * Parsed files are kept by their stat fingerprint: the page polls statuses every few seconds, and a
   * login by the CLI (another process) changes the file's fingerprint (lib/lake/hash.ts), so it is read again.
   */
  async load(source: string, account: string): Promise<StoredSession | null> {
    const file = this.file(source, account)
    let print: string
    try {
      print = fileFingerprintSync(file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
    const known = this.parsed.get(file)
    if (known?.print === print) return structuredClone(known.session)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
    const parsed = StoredSession.safeParse(JSON.parse(text))
    if (!parsed.success) return null
    const s = parsed.data
    this.parsed.set(file, { print, session: structuredClone(s) })
    registerSecret(s.token)
    registerSecret(s.access?.token)
    for (const c of s.storageState?.cookies ?? []) registerSecret(c.value)
    for (const o of s.storageState?.origins ?? []) for (const kv of o.localStorage) registerSecret(kv.value)
    return s
  }

  async status(source: string, account: string): Promise<SessionStatus> {
    const policy = this.sources.get(source)?.session
    const base = { source, account, command: authCommand(source, account) }
    const s = await this.load(source, account)
    if (!s || !policy) return { ...base, status: 'missing', capturedAt: null, expiresAt: null, daysLeft: null }
    const expires = s.deadAt ? new Date(Math.min(Date.parse(s.deadAt), sessionExpiry(s, policy).getTime())) : sessionExpiry(s, policy)
    const msLeft = expires.getTime() - this.now().getTime()
    const daysLeft = Math.floor(msLeft / DAY)
    const status: SessionState = msLeft <= 0 ? 'expired' : msLeft <= policy.refreshWindowDays * DAY ? 'expiring' : 'valid'
    const extra = { ...(s.access ? { renewedAt: s.access.renewedAt } : {}), ...(s.deadReason ? { reason: s.deadReason } : {}) }
    return { ...base, status, capturedAt: s.capturedAt, expiresAt: expires.toISOString(), daysLeft: Math.max(0, daysLeft), ...extra }
  }

  /** Status of every account of every source that logs in. */
  async statusAll(): Promise<SessionStatus[]> {
    const out: SessionStatus[] = []
    for (const s of this.sources.values()) {
      if (!s.session) continue
      for (const account of s.accounts) out.push(await this.status(s.name, account.name))
    }
    return out
  }

  async accounts(source: string): Promise<string[]> {
    try {
      return (await readdir(path.join(this.dir, source))).filter((n) => n.endsWith('.json')).map((n) => decodeURIComponent(n.slice(0, -5)))
    } catch {
      return []
    }
  }
}
