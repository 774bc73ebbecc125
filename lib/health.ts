/**
 * @module Health you can alert on (`GET /health`, `npm run health`, the notifications). Per source: the
 * last run and last success, the newest business date and its freshness against the source's
 * thresholds, its sessions, files stuck in a zone, and the last error with its severity and the hint
 * that fixes it. Every finding has a level; a source and the whole report take the worst one, so the
 * overall status is not `ok` while anything needs a person (`warn`: soon; `error`: now).
 */
import { authCommand, type SessionStatus } from './credentials/store.ts'
import { newestBusinessDate } from './kpi/queries.ts'
import { daysBetween } from './kpi/window.ts'
import type { Runner } from './pipeline.ts'
import { stuckFiles, type StuckFiles } from './health/stuck.ts'

export type Level = 'ok' | 'warn' | 'error'
export type Freshness = 'fresh' | 'warn' | 'stale' | 'empty'
export interface Thresholds {
  warnDays: number
  staleDays: number
}

/** For a source that declares no `freshness` of its own: a daily source is late after 3 days, stale after 7. */
export const DEFAULT_THRESHOLDS: Thresholds = { warnDays: 3, staleDays: 7 }

export interface Issue {
  level: Exclude<Level, 'ok'>
  /** What happened, for people ("TooLost session expires in 2 days"). */
  text: string
  /** The command that fixes it, when there is one. */
  command?: string
  /** Stable identity of the event behind the issue (notifications are sent once per key). */
  key: string
  kind: 'session-expiring' | 'session-expired' | 'run-failed' | 'stale' | 'stuck' | 'refused' | 'never-run'
  account?: string
}

interface RunRow {
  id: string
  status: string
  severity: string | null
  message: string | null
  started_at: string
  finished_at: string | null
}

export interface SourceHealth {
  source: string
  status: Level
  running: boolean
  lastRun: RunRow | null
  lastSuccess: string | null
  newestDate: string | null
  ageDays: number | null
  freshness: Freshness
  thresholds: Thresholds
  sessions: readonly SessionStatus[]
  stuck: StuckFiles
  lastError: { at: string; status: string; severity: string | null; message: string | null; hint: string } | null
  issues: Issue[]
}

export interface HealthReport {
  status: Level
  checkedAt: string
  sources: SourceHealth[]
  sessions: readonly SessionStatus[]
  /** Every issue of every source, worst first: what a person has to do. */
  issues: (Issue & { source: string })[]
  /** The issues as one line each (older page code reads these). */
  warnings: string[]
}

export interface HealthOptions {
  today?: string
  /** Per-source freshness thresholds; default the source declaration's `freshness`, else DEFAULT_THRESHOLDS. */
  thresholds?: (source: string) => Thresholds | undefined
}

export function freshnessOf(newest: string | null, today: string, t: Thresholds = DEFAULT_THRESHOLDS): Freshness {
  if (!newest) return 'empty'
  const age = daysBetween(newest, today)
  return age <= t.warnDays ? 'fresh' : age <= t.staleDays ? 'warn' : 'stale'
}

const who = (s: { source: string; account: string }) => `${s.source}${s.account === 'default' ? '' : ` (${s.account})`}`
const FAILED = new Set(['failed', 'crashed', 'needs_auth'])

/** What fixes a failed run, by what failed (seed_ops.md §5.5: auth is low, data medium, infrastructure high). */
function hint(source: string, run: RunRow, sessions: readonly SessionStatus[], logDir: string): string {
  const rerun = `\`npm run pipeline -- ${source}\``
  if (run.status === 'needs_auth') {
    const cmd = sessions.find((s) => s.status !== 'valid')?.command ?? authCommand(source, 'default')
    return `log in again with \`${cmd}\`, then ${rerun}`
  }
  if (run.status === 'crashed') return `the process ended mid-run; run ${rerun} again`
  if (run.severity === 'medium')
    return `the upstream's data or throttling: read the message (refused rows are in the warehouse's quarantine table), then ${rerun}`
  return `network, configuration or code: see ${logDir}/errors.jsonl for the run, check the upstream is reachable, then ${rerun}`
}

function sessionIssues(sessions: readonly SessionStatus[]): Issue[] {
  const out: Issue[] = []
  for (const s of sessions) {
    if (s.status === 'expiring') {
      const text = `${who(s)} session expiring in ${s.daysLeft} day${s.daysLeft === 1 ? '' : 's'}: run \`${s.command}\``
      out.push({
        level: 'warn',
        kind: 'session-expiring',
        key: `session-expiring:${s.source}:${s.account}:${s.capturedAt}`,
        text,
        command: s.command,
        account: s.account,
      })
    } else if (s.status === 'expired' || s.status === 'missing') {
      const why = s.status === 'missing' ? 'no session stored' : `session expired${s.reason ? ` (${s.reason})` : ` at ${s.expiresAt}`}`
      const key = `session-${s.status}:${s.source}:${s.account}:${s.capturedAt ?? ''}`
      out.push({ level: 'error', kind: 'session-expired', key, text: `${who(s)} ${why}: run \`${s.command}\``, command: s.command, account: s.account })
    }
  }
  return out
}

async function sourceHealth(runner: Runner, source: string, today: string, sessions: readonly SessionStatus[], t: Thresholds): Promise<SourceHealth> {
  const { wh, lake, config } = runner.services
  const runs = wh.db.selectFrom('runs').select(['id', 'status', 'severity', 'message', 'started_at', 'finished_at']).where('source', '=', source)
  const lastRun = (await runs.where('status', '!=', 'running').orderBy('started_at', 'desc').limit(1).executeTakeFirst()) ?? null
  const lastOk = await runs.where('status', '=', 'ok').orderBy('started_at', 'desc').limit(1).executeTakeFirst()
  const lastFailed = await runs
    .where('status', 'in', [...FAILED])
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  // A failure streak is one event: keyed by its first run, so daily repeats of the same failure are not news.
  const streakStart =
    lastRun && FAILED.has(lastRun.status)
      ? await runs
          .where('status', 'in', [...FAILED])
          .where('started_at', '>', lastOk?.started_at ?? '')
          .orderBy('started_at', 'asc')
          .limit(1)
          .executeTakeFirst()
      : undefined
  const declared = runner.services.sources.get(source)
  const newestDate = declared ? await newestBusinessDate(wh.db, declared) : null
  const freshness = freshnessOf(newestDate, today, t)
  const stuck = await stuckFiles(lake, source, new Date(`${today}T23:59:59Z`))
  const mine = sessions.filter((s) => s.source === source)

  const issues = sessionIssues(mine)
  if (lastRun && FAILED.has(lastRun.status) && lastRun.status !== 'needs_auth') {
    const text = `${source}: last run ${lastRun.status}${lastRun.severity ? ` (${lastRun.severity})` : ''}: ${lastRun.message ?? ''}`.trim()
    issues.push({
      level: 'error',
      kind: 'run-failed',
      key: `run-failed:${source}:${streakStart?.id ?? lastRun.id}`,
      text,
      command: `npm run pipeline -- ${source}`,
    })
  } else if (lastRun?.status === 'needs_auth' && !issues.some((i) => i.kind === 'session-expired')) {
    const cmd = mine.find((s) => s.status !== 'valid')?.command ?? authCommand(source, 'default')
    issues.push({
      level: 'error',
      kind: 'session-expired',
      key: `run-needs-auth:${source}:${streakStart?.id ?? lastRun.id}`,
      text: `${source}: ${lastRun.message ?? 'needs a login'}`,
      command: cmd,
    })
  }
  if (freshness === 'stale' || freshness === 'warn') {
    const age = daysBetween(newestDate!, today)
    const text = `${source}: newest data is from ${newestDate} (${age} days old; ${freshness === 'stale' ? 'stale' : 'late'} after ${freshness === 'stale' ? t.staleDays : t.warnDays})`
    issues.push({
      level: freshness === 'stale' ? 'error' : 'warn',
      kind: 'stale',
      key: `${freshness}:${source}:${newestDate}`,
      text,
      command: `npm run pipeline -- ${source}`,
    })
  }
  if (!lastRun)
    issues.push({ level: 'warn', kind: 'never-run', key: `never-run:${source}`, text: `${source}: has never run`, command: `npm run pipeline -- ${source}` })
  for (const f of stuck.landing) {
    issues.push({
      level: 'warn',
      kind: 'stuck',
      key: `stuck:${source}:${f.file}`,
      text: `${source}: landing file ${f.dataset}/${f.file} was never promoted`,
      command: `npm run pipeline -- ${source} --skip-extract`,
    })
  }
  for (const f of stuck.refused)
    issues.push({ level: 'warn', kind: 'refused', key: `refused:${source}:${f.file}`, text: `${source}: landing file ${f.file} was refused: ${f.reason}` })

  return {
    source,
    status: issues.some((i) => i.level === 'error') ? 'error' : issues.length ? 'warn' : 'ok',
    running: runner.isRunning(source),
    lastRun,
    lastSuccess: lastOk?.finished_at ?? null,
    newestDate,
    ageDays: newestDate ? daysBetween(newestDate, today) : null,
    freshness,
    thresholds: t,
    sessions: mine,
    stuck,
    lastError: lastFailed
      ? {
          at: lastFailed.finished_at ?? lastFailed.started_at,
          status: lastFailed.status,
          severity: lastFailed.severity,
          message: lastFailed.message,
          hint: hint(source, lastFailed, mine, config.logDir),
        }
      : null,
    issues,
  }
}

export async function health(runner: Runner, opts: HealthOptions | string = {}): Promise<HealthReport> {
  const o = typeof opts === 'string' ? { today: opts } : opts
  const today = o.today ?? new Date().toISOString().slice(0, 10)
  const sessions = await runner.sessionStatuses()
  const sources: SourceHealth[] = []
  for (const source of runner.registry.sources.keys()) {
    const t = o.thresholds?.(source) ?? runner.services.sources.get(source)?.freshness ?? DEFAULT_THRESHOLDS
    sources.push(await sourceHealth(runner, source, today, sessions, { warnDays: t.warnDays, staleDays: t.staleDays }))
  }
  const issues = sources
    .flatMap((s) => s.issues.map((i) => ({ ...i, source: s.source })))
    .sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1))
  const status: Level = issues.some((i) => i.level === 'error') ? 'error' : issues.length ? 'warn' : 'ok'
  return { status, checkedAt: new Date().toISOString(), sources, sessions, issues, warnings: issues.map((i) => i.text) }
}
