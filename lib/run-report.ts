/** @module A run's report and how step results add up to the run's status. */
import type { Severity, Status, StepKind, StepResult } from './define.ts'
import type { DateWindow, Mode } from './context.ts'

export type Trigger = 'http' | 'cli' | 'cron' | 'import' | 'rebuild'

export interface RunRequest {
  source: string
  mode?: Mode
  skipExtract?: boolean
  window?: DateWindow
  trigger: Trigger
  /** Run this one step alone (`POST /functions/:source/:step`). */
  only?: StepKind
  /** Clear everything downstream of landing and re-promote it all (lib/rebuild.ts); implies skipExtract. */
  rebuild?: boolean
}

export interface RunReport {
  runId: string
  source: string
  status: Status
  severity?: Severity
  message?: string
  steps: Partial<Record<StepKind, StepResult>>
  startedAt: string
  finishedAt: string
  /** Set when the run never started: `busy` (held by another run), `error` (it could not be started). */
  outcome?: 'busy' | 'error'
  /** The run rebuilt the source from landing (asked for, or to heal an interrupted clean/rebuild). */
  rebuilt?: boolean
}

const RANK: Record<Status, number> = { skipped: 0, ok: 1, needs_auth: 2, failed: 3 }
const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 }

export function summarize(steps: RunReport['steps']): { status: Status; severity?: Severity; message?: string } {
  const results = Object.entries(steps) as [StepKind, StepResult][]
  if (!results.length) return { status: 'skipped', message: 'nothing to run' }
  let worst = results[0][1]
  let severity: Severity | undefined
  for (const [, r] of results) {
    if (RANK[r.status] > RANK[worst.status]) worst = r
    if (r.severity && (!severity || SEVERITY_RANK[r.severity] > SEVERITY_RANK[severity])) severity = r.severity
  }
  const messages = results.filter(([, r]) => r.message).map(([k, r]) => `${k}: ${r.message}`)
  const status = results.every(([, r]) => r.status === 'skipped') ? 'skipped' : worst.status === 'skipped' ? 'ok' : worst.status
  return { status, severity, message: messages.join('; ') || undefined }
}

export function exitCode(status: Status): number {
  return status === 'failed' ? 1 : status === 'needs_auth' ? 3 : 0
}

/** What a step that threw (it should not: defineStep catches) becomes in the report. */
export function thrownStep(err: unknown, startedAt: string): StepResult {
  return {
    status: 'failed',
    severity: 'high',
    message: `threw: ${err instanceof Error ? err.message : String(err)}`,
    filesIn: 0,
    filesOut: 0,
    rowsIn: 0,
    rowsOut: 0,
    rowsQuarantined: 0,
    startedAt,
    finishedAt: new Date().toISOString(),
  }
}
