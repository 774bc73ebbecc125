/**
 * @module A source declares itself once, in `functions/<source>/source.ts` (DESIGN §2): its name, the
 * accounts the label has there (defaults, overridable from the environment without a code change), its
 * session policy, its upstream base URLs and settings with their env variables, the warehouse rows it
 * owns, how its freshness is read, and its local fake. Config, credentials, health, rebuild and the demo
 * read these declarations; lib/ keeps no per-source list.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Hono } from 'hono'
import { z } from 'zod'
import { ConfigError } from './config.ts'
import type { SessionPolicy } from './credentials/policy.ts'

export interface Account {
  /** The account's name as the label calls it (`ZONE A0`, `zone.a0`, `default`). */
  name: string
  /** The service's own id for it where the API needs one (a Spotify artist id). */
  id?: string
}

export interface UpstreamSpec {
  /** Environment variable that points the source elsewhere (the demo and tests use local fakes). */
  env: string
  default: string
}

export interface SettingSpec {
  env: string
  schema: z.ZodType
  /** Redacted from every log line once read. */
  secret?: boolean
}

/** Rows of a warehouse table that belong to this source: `where` narrows a shared table. */
export interface OwnedTable {
  table: string
  where?: Record<string, string>
}

export interface FreshnessSpec {
  table: string
  dateColumn: string
  where?: Record<string, string>
  /** 'month' columns hold YYYY-MM: the newest business date is the last day of that month. */
  grain: 'day' | 'month'
  /** Business-date age (days) after which the data is `warn` / `stale`. */
  warnDays: number
  staleDays: number
}

/** What the demo and the tests need of a source's fake: a Hono app and a way to store a login. */
export interface DemoFake {
  create(today: string): {
    app: Hono
    /** Stores a session as if a person had logged in through `npm run auth`. */
    logIn(sessionsDir: string, url: string): Promise<void>
    /** A line the demo prints about this source (e.g. how to renew a login that is about to end). */
    note?(url: string): string
    /**
     * Variables the source needs to talk to this fake once it is served at `url` (an OAuth client the
     * fake knows, a base URL with the API's path prefix); they override the upstreams pointing at `url`.
     */
    env?: (url: string) => Record<string, string>
  }
}

export interface SourceSpec {
  name: string
  title: string
  /** Default accounts; `BEDROT_<NAME>_ACCOUNTS="a,b=id"` replaces them. Omitted: one account, `default`. */
  accounts?: readonly Account[]
  session?: SessionPolicy
  upstreams?: Record<string, UpstreamSpec>
  settings?: Record<string, SettingSpec>
  tables: readonly OwnedTable[]
  freshness?: FreshnessSpec
  fake?: () => Promise<{ demo: DemoFake }>
}

export interface SourceDeclaration extends SourceSpec {
  kind: 'source'
}

/** A declaration with its configuration read from the environment. */
export interface ResolvedSource {
  name: string
  title: string
  accounts: readonly Account[]
  session?: SessionPolicy
  baseUrls: Record<string, string>
  settings: Record<string, unknown>
  /** Every env variable the source reads (for the demo, which points upstreams at fakes). */
  upstreamEnv: Record<string, string>
  tables: readonly OwnedTable[]
  freshness?: FreshnessSpec
  declaration: SourceDeclaration
}

export type Sources = ReadonlyMap<string, ResolvedSource>

export function defineSource(spec: SourceSpec): SourceDeclaration {
  if (!/^[a-z][a-z0-9]*$/.test(spec.name)) throw new Error(`source name '${spec.name}' must be lower-case letters and digits`)
  return { kind: 'source', ...spec }
}

const url = z.url().transform((u) => u.replace(/\/+$/, ''))
const ACCOUNT = /^[^,=]+$/

/** `BEDROT_SPOTIFY_ACCOUNTS` for source `spotify`. */
export function accountsEnv(source: string): string {
  return `BEDROT_${source.toUpperCase()}_ACCOUNTS`
}

function parseAccounts(text: string, variable: string): Account[] {
  const accounts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, id, extra] = entry.split('=').map((s) => s.trim())
      if (extra !== undefined || !ACCOUNT.test(name) || (id !== undefined && !ACCOUNT.test(id)))
        throw new ConfigError(`${variable}: "${entry}" is not \`name\` or \`name=id\``)
      return id ? { name, id } : { name }
    })
  if (!accounts.length) throw new ConfigError(`${variable}: names no account`)
  return accounts
}

/**
 * Reads each source's variables from the environment snapshot the config was parsed from; throws one
 * ConfigError naming every bad variable.
 */
export function resolveSources(env: Readonly<Record<string, string | undefined>>, declarations: readonly SourceDeclaration[]): Map<string, ResolvedSource> {
  const problems: string[] = []
  const out = new Map<string, ResolvedSource>()
  for (const d of declarations) {
    const baseUrls: Record<string, string> = {}
    const upstreamEnv: Record<string, string> = {}
    for (const [key, u] of Object.entries(d.upstreams ?? {})) {
      upstreamEnv[key] = u.env
      const parsed = url.safeParse(env[u.env] || u.default)
      if (parsed.success) baseUrls[key] = parsed.data
      else problems.push(`${u.env}: not a URL`)
    }
    const settings: Record<string, unknown> = {}
    for (const [key, s] of Object.entries(d.settings ?? {})) {
      const raw = env[s.env] === '' ? undefined : env[s.env]
      const parsed = s.schema.safeParse(raw)
      if (parsed.success) settings[key] = parsed.data
      else problems.push(`${s.env}: ${parsed.error.issues[0]?.message}`)
    }
    let accounts: readonly Account[] = d.accounts ?? [{ name: 'default' }]
    const accountsText = env[accountsEnv(d.name)]
    if (accountsText) {
      try {
        accounts = parseAccounts(accountsText, accountsEnv(d.name))
      } catch (err) {
        problems.push((err as Error).message)
      }
    }
    out.set(d.name, {
      name: d.name,
      title: d.title,
      accounts,
      session: d.session,
      baseUrls,
      settings,
      upstreamEnv,
      tables: d.tables,
      freshness: d.freshness,
      declaration: d,
    })
  }
  if (problems.length) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`)
  return out
}

/** Secret setting values of every source (registered with the log scrubber at start-up). */
export function secretSettings(sources: Sources): string[] {
  const out: string[] = []
  for (const s of sources.values()) {
    for (const [key, spec] of Object.entries(s.declaration.settings ?? {})) {
      const v = s.settings[key]
      if (spec.secret && typeof v === 'string' && v) out.push(v)
    }
  }
  return out
}

/** `functions/<folder>/source.ts` of every folder that has one, sorted by name. */
export async function loadDeclarations(dir: string): Promise<SourceDeclaration[]> {
  const folders = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
  const out: SourceDeclaration[] = []
  for (const folder of folders) {
    const file = path.join(dir, folder, 'source.ts')
    const names = await readdir(path.join(dir, folder))
    if (!names.includes('source.ts')) continue
    const mod = (await import(pathToFileURL(file).href)) as { default?: SourceDeclaration }
    const decl = mod.default
    if (decl?.kind !== 'source' || decl.name !== folder)
      throw new Error(`functions/${folder}/source.ts must default-export defineSource({ name: '${folder}', … })`)
    out.push(decl)
  }
  return out
}
