/**
 * @module The runner: extract → clean → load for one source, with run history, single flight per
 * source, modes and the date window. HTTP, the CLI and cron all call this.
 */
import { randomUUID } from 'node:crypto'
import type { Severity, Status, StepKind, StepResult } from './define.ts'
import { STEP_KINDS } from './define.ts'
import { runContext, type DateWindow, type Mode, type Services } from './context.ts'
import { AppError } from './errors.ts'
import type { Registry } from './registry.ts'
import { bumpDataVersion } from './kpi/cache.ts'

export type Trigger = 'http' | 'cli' | 'cron' | 'import'

export interface RunRequest {
  source: string
  mode?: Mode
  skipExtract?: boolean
  window?: DateWindow
  trigger: Trigger
  /** Run this one step alone (`POST /functions/:source/:step`). */
  only?: StepKind
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
}

const RANK: Record<Status, number> = { skipped: 0, ok: 1, needs_auth: 2, failed: 3 }
const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2 }

export class Runner {
  private inflight = new Map<string, Promise<RunReport>>()

  constructor(
    readonly services: Services,
    readonly registry: Registry,
  ) {}

  /** Session status of every account of every source that logs in. */
  sessionStatuses() {
    return this.services.credentials.statusAll()
  }

  isRunning(source: string): boolean {
    return this.inflight.has(source)
  }

  /** Runs one source; a second call while one is going is refused (409 at the HTTP edge). */
  run(req: RunRequest): Promise<RunReport> {
    if (!this.registry.sources.has(req.source)) throw new AppError('NotFound', `unknown source '${req.source}'`)
    if (this.inflight.has(req.source)) throw new AppError('RunInProgress', `a run of '${req.source}' is already going`)
    const p = this.execute(req).finally(() => this.inflight.delete(req.source))
    this.inflight.set(req.source, p)
    return p
  }

  runStep(source: string, only: StepKind, req: Omit<RunRequest, 'source' | 'only' | 'trigger'> = {}): Promise<RunReport> {
    return this.run({ ...req, source, only, trigger: 'http' })
  }

  /** Every source in order; one failing source never stops the others. */
  async runAll(req: Omit<RunRequest, 'source'>): Promise<RunReport[]> {
    const reports: RunReport[] = []
    for (const source of this.registry.sources.keys()) {
      if (this.inflight.has(source)) continue
      reports.push(await this.run({ ...req, source }))
    }
    return reports
  }

  /**
   * A run left `running` by a crash is marked crashed at start-up. Only runs whose process is gone:
   * the server may be running one while a CLI starts beside it.
   */
  async markCrashed(): Promise<number> {
    const { db } = this.services.wh
    const running = await db.selectFrom('runs').select(['id', 'pid']).where('status', '=', 'running').execute()
    const dead = running.filter((r) => r.pid === null || !processAlive(r.pid)).map((r) => r.id)
    if (!dead.length) return 0
    const res = await db
      .updateTable('runs')
      .set({ status: 'crashed', severity: 'high', message: 'process ended while the run was going', finished_at: new Date().toISOString() })
      .where('id', 'in', dead)
      .executeTakeFirst()
    return Number(res.numUpdatedRows)
  }

  private async execute(req: RunRequest): Promise<RunReport> {
    const { db } = this.services.wh
    // Single flight across processes too: the server and a CLI share the lake and the warehouse.
    const other = (await db.selectFrom('runs').select(['id', 'pid']).where('source', '=', req.source).where('status', '=', 'running').execute())
      .find((r) => r.pid !== null && r.pid !== process.pid && processAlive(r.pid))
    if (other) throw new AppError('RunInProgress', `a run of '${req.source}' is already going in process ${other.pid} (${other.id})`)
    const fns = this.registry.sources.get(req.source)!
    const runId = `${req.source}-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`
    const mode = req.mode ?? 'automated'
    const window = req.window ?? {}
    const startedAt = new Date().toISOString()
    const ctx = runContext(this.services, { runId, mode, window })
    await db
      .insertInto('runs')
      .values({
        id: runId, source: req.source, trigger: req.trigger, mode, skip_extract: req.skipExtract ? 1 : 0,
        window_from: window.from ?? null, window_to: window.to ?? null, status: 'running', started_at: startedAt, pid: process.pid,
      })
      .execute()
    ctx.log.info({ source: req.source, trigger: req.trigger, mode }, 'run started')

    const steps: RunReport['steps'] = {}
    let stop: { status: Status; severity: Severity; message: string } | null = null
    for (const kind of STEP_KINDS) {
      const def = fns.steps[kind]
      if (!def || (req.only && req.only !== kind)) continue
      if (kind === 'extract' && req.skipExtract) continue
      const session = this.services.sources.get(req.source)
      if (kind === 'extract' && session?.session) {
        const blocked = await this.authBlock(req.source, session.accounts.map((a) => a.name))
        if (blocked) {
          stop = { status: 'needs_auth', severity: 'low', message: blocked }
          break
        }
      }
      const result = await def.run(ctx)
      steps[kind] = result
      await db
        .insertInto('steps')
        .values({
          run_id: runId, step: kind, status: result.status, severity: result.severity ?? null,
          files_in: result.filesIn, files_out: result.filesOut, rows_in: result.rowsIn, rows_out: result.rowsOut,
          rows_quarantined: result.rowsQuarantined, message: result.message ?? null,
          started_at: result.startedAt, finished_at: result.finishedAt,
        })
        .execute()
      ctx.log.info({ source: req.source, step: kind, status: result.status, rowsOut: result.rowsOut }, result.message ?? `${kind} ${result.status}`)
      if (result.status === 'needs_auth') {
        // A login wall met mid-extract: nothing downstream runs on a half-finished extract.
        stop = { status: 'needs_auth', severity: 'low', message: result.message ?? 'log in again' }
        break
      }
      if (kind === 'clean' && result.status === 'failed' && result.severity === 'high') break
    }
    if (steps.load?.status === 'ok') bumpDataVersion()

    const summary = stop ?? summarize(steps)
    const finishedAt = new Date().toISOString()
    await db
      .updateTable('runs')
      .set({ status: summary.status, severity: summary.severity ?? null, message: summary.message ?? null, finished_at: finishedAt })
      .where('id', '=', runId)
      .execute()
    const level = summary.status === 'failed' ? 'error' : summary.status === 'needs_auth' ? 'warn' : 'info'
    ctx.log[level]({ source: req.source, status: summary.status, severity: summary.severity }, summary.message ?? 'run finished')
    return { runId, source: req.source, ...summary, steps, startedAt, finishedAt }
  }

  /** Returns the "log in again" message when no account of the source has a usable session. */
  private async authBlock(source: string, accounts: readonly string[]): Promise<string | null> {
    const statuses = await Promise.all(accounts.map((a) => this.services.credentials.status(source, a)))
    const usable = statuses.filter((s) => s.status === 'valid' || s.status === 'expiring')
    if (usable.length) return null
    return statuses.map((s) => `session ${s.status} for ${source}${s.account === 'default' ? '' : ` (${s.account})`}: log in again with \`${s.command}\``).join('; ')
  }
}

function summarize(steps: RunReport['steps']): { status: Status; severity?: Severity; message?: string } {
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

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function exitCode(status: Status): number {
  return status === 'failed' ? 1 : status === 'needs_auth' ? 3 : 0
}
