/**
 * @module Structured JSONL logs (pino): everything to `pipeline.jsonl`, errors only to `errors.jsonl`,
 * optionally stdout. Secrets never reach a log line: known secret-bearing keys are censored by path,
 * and every secret value the credential store has seen is scrubbed from the final text.
 */
import { chmodSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import pino, { type Logger } from 'pino'

export type { Logger }

const CENSOR = '[redacted]'
const SECRET_KEYS = [
  'password',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'authorization',
  'Authorization',
  'cookie',
  'cookies',
  'Cookie',
  'storageState',
  'secret',
  'apiKey',
  'jwt',
  'otp',
  'code',
]
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers.${k}`])

const secretValues = new Set<string>()
let secretPattern: RegExp | null = null

/** Registers a secret value (cookie, token, password) so that it is scrubbed from every log line. */
export function registerSecret(value: string | undefined | null): void {
  // Very short values would scrub ordinary words; real secrets are long.
  if (!value || value.length < 6 || secretValues.has(value)) return
  secretValues.add(value)
  const escaped = [...secretValues].sort((a, b) => b.length - a.length).map(escapeRe)
  secretPattern = new RegExp(escaped.join('|'), 'g')
}

// A token in a URL (Graph APIs accept `access_token=` in the query and echo it into paging links).
const TOKEN_IN_URL = /([?&](?:access_token|input_token|client_secret)=)[^&\s"'#]+/g

export function scrubSecrets(text: string): string {
  // JSON-escaped forms of a value differ from the raw value only for quotes/backslashes, which
  // cookies and tokens do not contain.
  const scrubbed = text.replace(TOKEN_IN_URL, `$1${CENSOR}`)
  return secretPattern ? scrubbed.replace(secretPattern, CENSOR) : scrubbed
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export interface LogOptions {
  dir?: string
  level?: string
  stdout?: boolean
}

export function createLogger(opts: LogOptions = {}): Logger {
  const level = opts.level ?? 'info'
  const streams: pino.StreamEntry[] = []
  if (opts.dir) {
    mkdirSync(opts.dir, { recursive: true, mode: 0o700 })
    // Owner only: log lines name files, artists and amounts even with secrets scrubbed.
    for (const [file, fileLevel] of [
      ['pipeline.jsonl', level],
      ['errors.jsonl', 'error'],
    ] as const) {
      const dest = path.join(opts.dir, file)
      const stream = pino.destination({ dest, sync: true, mode: 0o600 })
      chmodSync(dest, 0o600)
      streams.push({ level: fileLevel as pino.Level, stream })
    }
  }
  if (opts.stdout) streams.push({ level: level as pino.Level, stream: pino.destination({ dest: 2, sync: true }) })
  return pino(
    {
      level: level === 'silent' ? 'silent' : level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      hooks: { streamWrite: scrubSecrets },
    },
    pino.multistream(streams.length ? streams : [{ level: 'fatal' as pino.Level, stream: { write() {} } }]),
  )
}
