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
import { folderChanges } from './changes.ts'
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
  ) {
    this.changes = folderChanges(dir)
  }

  /** Each file's parsed session (null: no usable file) by its stat fingerprint and the folder's generation. */
  private parsed = new Map<string, { print: string | null; generation: number | null; session: StoredSession | null }>()
  private changes: ReturnType<typeof folderChanges>

  private file(source: string, account: string): string {
    return path.join(this.dir, source, `${encodeURIComponent(account)}.json`)
  }

  async save(source: string, account: string, secret: Pick<StoredSession, 'storageState' | 'token' | 'access'>, capturedAt = this.now()) {
    const record: StoredSession = { source, account, capturedAt: capturedAt.toISOString(), ...secret }
    StoredSession.parse(record)
    await mkdir(path.join(this.dir, source), { recursive: true, mode: 0o700 })
    const file = this.file(source, account)
    try {
      await writeFileAtomic(file, JSON.stringify(record), 0o600)
      await chmod(file, 0o600)
    } finally {
      this.changes.changed()
    }
  }

  /** Changes a stored session in place, keeping its capture time (renewal does not extend the login). */
  async update(source: string, account: string, patch: Partial<Omit<StoredSession, 'source' | 'account' | 'capturedAt'>>) {
    const current = await this.load(source, account)
    if (!current) throw new Error(`no stored session for ${source} (${account})`)
    const record = StoredSession.parse({ ...current, ...patch })
    registerSecret(record.access?.token)
    try {
      await writeFileAtomic(this.file(source, account), JSON.stringify(record), 0o600)
    } finally {
      this.changes.changed()
    }
  }

  async remove(source: string, account: string) {
    try {
      await rm(this.file(source, account), { force: true })
    } finally {
      this.changes.changed()
    }
  }

  /**
   * The stored session; its secret values are registered with the log scrubber before anyone sees them.
   * A copy: callers may change it.
   */
  async load(source: string, account: string): Promise<StoredSession | null> {
    const s = await this.shared(source, account)
    return s && structuredClone(s)
  }

  /**
   * The parsed session shared by every caller (status only reads it). The page polls statuses every few
   * seconds: while the folder's generation (lib/credentials/changes.ts) stands still nothing is touched;
   * after it moves, each file is checked by its stat fingerprint (lib/lake/hash.ts) and read again only
   * when that changed (a login by the CLI, another process).
   */
  private async shared(source: string, account: string): Promise<StoredSession | null> {
    const file = this.file(source, account)
    // Taken before the file is looked at: a change while it is read moves the generation past this one.
    const generation = this.changes.current()
    const known = this.parsed.get(file)
    if (known && generation !== null && known.generation === generation) return known.session
    let print: string | null
    try {
      print = fileFingerprintSync(file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      print = null
    }
    if (known?.print === print) {
      known.generation = generation
      return known.session
    }
    const session = print === null ? null : await this.read(file)
    this.parsed.set(file, { print, generation, session })
    return session
  }

  private async read(file: string): Promise<StoredSession | null> {
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
    registerSecret(s.token)
    registerSecret(s.access?.token)
    for (const c of s.storageState?.cookies ?? []) registerSecret(c.value)
    for (const o of s.storageState?.origins ?? []) for (const kv of o.localStorage) registerSecret(kv.value)
    return s
  }

  async status(source: string, account: string): Promise<SessionStatus> {
    return (await this.statusAt(source, account, this.now().getTime())).status
  }

  /** The status at `now`, and the first instant it reads differently (Infinity: not before a file changes). */
  private async statusAt(source: string, account: string, now: number): Promise<{ status: SessionStatus; until: number }> {
    const policy = this.sources.get(source)?.session
    const base = { source, account, command: authCommand(source, account) }
    const s = await this.shared(source, account)
    if (!s || !policy) return { status: { ...base, status: 'missing', capturedAt: null, expiresAt: null, daysLeft: null }, until: Infinity }
    const expires = s.deadAt ? new Date(Math.min(Date.parse(s.deadAt), sessionExpiry(s, policy).getTime())) : sessionExpiry(s, policy)
    const end = expires.getTime()
    const refresh = policy.refreshWindowDays * DAY
    const msLeft = end - now
    const daysLeft = Math.floor(msLeft / DAY)
    const status: SessionState = msLeft <= 0 ? 'expired' : msLeft <= refresh ? 'expiring' : 'valid'
    const extra = { ...(s.access ? { renewedAt: s.access.renewedAt } : {}), ...(s.deadReason ? { reason: s.deadReason } : {}) }
    // Expired stays expired (daysLeft 0). Before that it changes on expiry, on entering the refresh
    // window, and when daysLeft counts one down: one ms after exactly daysLeft whole days remain.
    const until = msLeft <= 0 ? Infinity : Math.min(end, msLeft > refresh ? end - refresh : Infinity, end - daysLeft * DAY + 1)
    return {
      status: { ...base, status, capturedAt: s.capturedAt, expiresAt: expires.toISOString(), daysLeft: Math.max(0, daysLeft), ...extra },
      until,
    }
  }

  private all?: { generation: number; from: number; until: number; list: readonly SessionStatus[] }

  /**
   * Status of every account of every source that logs in. The same (frozen) list is answered again while
   * no file changed (lib/credentials/changes.ts) and the clock has not reached the first instant any
   * status in it reads differently: the page and the alerts KPI ask on every poll.
   */
  async statusAll(): Promise<readonly SessionStatus[]> {
    const generation = this.changes.current()
    const now = this.now().getTime()
    const kept = this.all
    if (kept && generation !== null && kept.generation === generation && now >= kept.from && now < kept.until) return kept.list
    const list: SessionStatus[] = []
    let until = Infinity
    for (const s of this.sources.values()) {
      if (!s.session) continue
      for (const account of s.accounts) {
        const one = await this.statusAt(s.name, account.name, now)
        list.push(Object.freeze(one.status))
        until = Math.min(until, one.until)
      }
    }
    Object.freeze(list)
    this.all = generation === null ? undefined : { generation, from: now, until, list }
    return list
  }

  async accounts(source: string): Promise<string[]> {
    try {
      return (await readdir(path.join(this.dir, source))).filter((n) => n.endsWith('.json')).map((n) => decodeURIComponent(n.slice(0, -5)))
    } catch {
      return []
    }
  }
}
