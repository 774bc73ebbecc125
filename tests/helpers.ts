/** Test plumbing: a whole system over a temp folder, and the real CLIs run as a person would. */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Hono } from 'hono'
import { createApp } from '../lib/app.ts'
import { loadConfig } from '../lib/config.ts'
import { resolveApiToken } from '../lib/http/token.ts'
import { openServices } from '../lib/context.ts'
import { Runner } from '../lib/pipeline.ts'
import { loadRegistry } from '../lib/registry.ts'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const REAL = path.resolve(ROOT, process.env.REAL_FIXTURES_DIR ?? '../shared/fixtures/real')
export const hasReal = existsSync(REAL)
/** Under CI a missing fixtures folder is a failure, never a silent skip. */
export const IN_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '')
if (!hasReal) console.warn(`\n!!! real fixtures not found at ${REAL}: the conformance suites are ${IN_CI ? 'FAILING (CI)' : 'SKIPPED'} !!!\n`)

/** What real-fixture suites skip on: a missing folder, except under CI, where they run and fail. */
export const skipReal = !hasReal && !IN_CI

export async function tempDir(prefix = 'bedrot-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix))
}

export function envFor(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BEDROT_DATA_DIR: path.join(dir, 'lake'),
    BEDROT_SESSIONS_DIR: path.join(dir, 'sessions'),
    LOG_LEVEL: 'info',
    BEDROT_UPSTREAM_TIMEOUT_MS: '5000',
    BEDROT_UPSTREAM_RETRIES: '3',
    BEDROT_BROWSER_TIMEOUT_MS: '15000',
    ...extra,
  }
}

export async function makeSystem(extraEnv: Record<string, string> = {}) {
  const dir = await tempDir()
  const env = envFor(dir, extraEnv)
  const config = loadConfig(env)
  const services = await openServices(config, { minBackoffMs: 5 })
  const runner = new Runner(services, await loadRegistry())
  const token = resolveApiToken(config)
  const app = withToken(createApp(runner, { today: () => '2025-06-01', apiToken: token }), token)
  return {
    dir,
    env,
    config,
    services,
    runner,
    app,
    /** The API token (generated in the temp sessions folder, as a first start does). */
    token,
    async close() {
      await services.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/**
 * `app.request` as a client holding the API token (a CLI, curl) sends it; `app.fetch` stays
 * unauthenticated, for tests of what a request without the token gets.
 */
export function withToken(app: Hono, token: string): Hono {
  const request = app.request.bind(app)
  app.request = ((input: Parameters<Hono['request']>[0], init?: RequestInit, ...rest: unknown[]) => {
    const headers = new Headers(init?.headers)
    if (!headers.has('authorization')) headers.set('Authorization', `Bearer ${token}`)
    return (request as (...a: unknown[]) => ReturnType<Hono['request']>)(input, { ...init, headers }, ...rest)
  }) as Hono['request']
  return app
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `npm run <script> -- args` the way a person would (tsx, real process, real exit code). */
export function runCli(script: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx')
  return new Promise((resolve) => {
    execFile(
      tsx,
      [path.join(ROOT, 'scripts', `${script}.ts`), ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

export function lastJson<T = any>(stdout: string): T {
  const lines = stdout.trim().split('\n')
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines.slice(i).join('\n')) as T
    } catch {
      /* keep looking upwards for the start of the JSON */
    }
  }
  throw new Error(`no JSON in output:\n${stdout}`)
}
