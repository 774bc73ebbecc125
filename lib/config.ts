/**
 * @module Configuration, parsed once from the environment with zod. Nothing else reads process.env,
 * so every knob the system has is listed here with its default.
 */
import path from 'node:path'
import cron from 'node-cron'
import { z } from 'zod'

/** `VAR=` (an empty value, as .env files leave it) means "not configured", not "invalid". */
const unsetWhenEmpty = <T extends z.ZodType<string>>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional())

const EnvSchema = z.object({
  BEDROT_DATA_DIR: z.string().min(1).default('data_lake'),
  BEDROT_SESSIONS_DIR: z.string().min(1).default('.sessions'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Bearer token for the HTTP routes; unset → a random one kept 0600 in `<sessions>/api-token`. */
  BEDROT_API_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9._~+/-]{16,}$/, 'at least 16 characters of A-Z a-z 0-9 . _ ~ + / -')
    .optional(),
  /** Extra host names the server answers to (comma-separated), beyond loopback and HOST. */
  BEDROT_ALLOWED_HOSTS: z.string().default(''),
  BEDROT_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(65536).default(512),
  BEDROT_CRON: z
    .string()
    .default('0 6 * * *')
    .refine((v) => cron.validate(v), { message: 'not a valid cron expression' }),
  BEDROT_TZ: z
    .string()
    .default('UTC')
    .refine(
      (tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz })
          return true
        } catch {
          return false
        }
      },
      { message: 'not an IANA time zone (e.g. Europe/Berlin)' },
    ),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
  BEDROT_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  BEDROT_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  BEDROT_UPSTREAM_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
  /** Largest upstream body accepted (JSON and downloads alike). */
  BEDROT_UPSTREAM_MAX_BODY_MB: z.coerce.number().int().min(1).max(65536).default(1024),
  /** A body that sends nothing for this long is a stall (retried like a timeout). */
  BEDROT_UPSTREAM_BODY_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  BEDROT_BROWSER_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Notifications: an incoming-webhook URL (Slack/Discord style) and/or e-mail over SMTP. */
  BEDROT_NOTIFY_URL: unsetWhenEmpty(z.url()),
  BEDROT_SMTP_URL: unsetWhenEmpty(z.string().regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')),
  BEDROT_NOTIFY_EMAIL: unsetWhenEmpty(z.email()),
  BEDROT_NOTIFY_FROM: z.string().email().default('bedrot-lake@localhost'),
  /** Whether a graphical display exists (`npm run auth` needs one for its visible browser). */
  DISPLAY: z.string().optional(),
  WAYLAND_DISPLAY: z.string().optional(),
})

export type Env = z.infer<typeof EnvSchema>

export interface Config {
  dataDir: string
  sessionsDir: string
  logDir: string
  warehouseFile: string
  port: number
  host: string
  /** Host names (no port) the HTTP server answers to; anything else is refused (DNS rebinding). */
  allowedHosts: string[]
  /** From BEDROT_API_TOKEN; when unset the server generates and stores one (lib/http/token.ts). */
  apiToken?: string
  maxUploadBytes: number
  cron: string
  timezone: string
  chromiumPath: string
  logLevel: Env['LOG_LEVEL']
  pollSeconds: number
  upstream: { timeoutMs: number; retries: number; maxBodyBytes: number; bodyTimeoutMs: number }
  browserTimeoutMs: number
  notify: { webhookUrl?: string; smtpUrl?: string; email?: string; from: string }
  /** A display for visible browsers (X11 or Wayland). */
  hasDisplay: boolean
  /**
   * The environment snapshot this config was parsed from. Sources declare their own variables (base URLs,
   * accounts, settings: lib/source.ts) and read them from here, so nothing but lib/ reads process.env.
   */
  env: Readonly<Record<string, string | undefined>>
}

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`)
  }
  const e = parsed.data
  const dataDir = path.resolve(e.BEDROT_DATA_DIR)
  return {
    dataDir,
    sessionsDir: path.resolve(e.BEDROT_SESSIONS_DIR),
    logDir: path.join(dataDir, 'logs'),
    warehouseFile: path.join(dataDir, 'warehouse.sqlite'),
    port: e.PORT,
    host: e.HOST,
    allowedHosts: allowedHosts(e.HOST, e.BEDROT_ALLOWED_HOSTS),
    apiToken: e.BEDROT_API_TOKEN,
    maxUploadBytes: e.BEDROT_MAX_UPLOAD_MB * 2 ** 20,
    cron: e.BEDROT_CRON,
    timezone: e.BEDROT_TZ,
    chromiumPath: e.CHROMIUM_PATH,
    logLevel: e.LOG_LEVEL,
    pollSeconds: e.BEDROT_POLL_SECONDS,
    upstream: {
      timeoutMs: e.BEDROT_UPSTREAM_TIMEOUT_MS,
      retries: e.BEDROT_UPSTREAM_RETRIES,
      maxBodyBytes: e.BEDROT_UPSTREAM_MAX_BODY_MB * 2 ** 20,
      bodyTimeoutMs: e.BEDROT_UPSTREAM_BODY_TIMEOUT_MS,
    },
    browserTimeoutMs: e.BEDROT_BROWSER_TIMEOUT_MS,
    notify: { webhookUrl: e.BEDROT_NOTIFY_URL, smtpUrl: e.BEDROT_SMTP_URL, email: e.BEDROT_NOTIFY_EMAIL, from: e.BEDROT_NOTIFY_FROM },
    hasDisplay: Boolean(e.DISPLAY || e.WAYLAND_DISPLAY),
    env: Object.freeze({ ...env }),
  }
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]']

/** Whether HOST keeps the server on this machine (then read-only routes need no token). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

function allowedHosts(host: string, extra: string): string[] {
  // A wildcard bind answers on every address, but only names the label chose are trusted.
  const bound = host === '0.0.0.0' || host === '::' ? [] : [host.includes(':') && !host.startsWith('[') ? `[${host}]` : host]
  const more = extra
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean)
  return [...new Set([...LOOPBACK_HOSTS, ...bound.map((h) => h.toLowerCase()), ...more])]
}
