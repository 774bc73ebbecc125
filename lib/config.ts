/**
 * @module Configuration, parsed once from the environment with zod. Nothing else reads process.env,
 * so every knob the system has is listed here with its default.
 */
import path from 'node:path'
import cron from 'node-cron'
import { z } from 'zod'

const EnvSchema = z.object({
  BEDROT_DATA_DIR: z.string().min(1).default('data_lake'),
  BEDROT_SESSIONS_DIR: z.string().min(1).default('.sessions'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  BEDROT_CRON: z
    .string()
    .default('0 6 * * *')
    .refine((v) => cron.validate(v), { message: 'not a valid cron expression' }),
  BEDROT_TZ: z
    .string()
    .default('UTC')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz })
        return true
      } catch {
        return false
      }
    }, { message: 'not an IANA time zone (e.g. Europe/Berlin)' }),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
  BEDROT_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  BEDROT_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  BEDROT_UPSTREAM_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
  BEDROT_BROWSER_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
})

export type Env = z.infer<typeof EnvSchema>

export interface Config {
  dataDir: string
  sessionsDir: string
  logDir: string
  warehouseFile: string
  port: number
  host: string
  cron: string
  timezone: string
  chromiumPath: string
  logLevel: Env['LOG_LEVEL']
  pollSeconds: number
  upstream: { timeoutMs: number; retries: number }
  browserTimeoutMs: number
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
    cron: e.BEDROT_CRON,
    timezone: e.BEDROT_TZ,
    chromiumPath: e.CHROMIUM_PATH,
    logLevel: e.LOG_LEVEL,
    pollSeconds: e.BEDROT_POLL_SECONDS,
    upstream: { timeoutMs: e.BEDROT_UPSTREAM_TIMEOUT_MS, retries: e.BEDROT_UPSTREAM_RETRIES },
    browserTimeoutMs: e.BEDROT_BROWSER_TIMEOUT_MS,
    env: Object.freeze({ ...env }),
  }
}
