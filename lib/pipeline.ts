/**
 * @module The runner: extract → clean → load for one source, with run history, single flight per
 * source (an atomic claim in the warehouse, warehouse/claims.ts), modes, the date window and rebuilds.
 * HTTP, the CLI and cron all call this. Nothing thrown inside a run escapes it: the run's outcome is
 * recorded and returned; only "not started" (unknown source, bad window, already running) throws.
 */
import { randomUUID } from 'node:crypto'
import type { Severity, Status, StepKind } from './define.ts'
import { STEP_KINDS } from './define.ts'
import { runContext, type Context, type Services } from './context.ts'
import { AppError } from './errors.ts'
import type { Registry } from './registry.ts'
import { bumpDataVersion } from './kpi/cache.ts'
import { CLEAN_PENDING, clearPending, finishRebuild, healNeeded, markPending, prepareRebuild, type Prepared } from './rebuild.ts'
import { summarize, thrownStep, type RunReport, type RunRequest } from './run-report.ts'
import { Claims, isClaim, newHolder, processAlive } from './warehouse/claims.ts'
import { openOps, type OpsDb } from './warehouse/ops.ts'
import { deleteOwned, withReplace } from './warehouse/replace.ts'

export { exitCode, type RunReport, type RunRequest, type Trigger } from './run-report.ts'

export interface RunnerOptions {
  /** How long a claim outlives its last renewal (a dead holder blocks its source this long at most). */
  leaseMs?: number
}

export class Runner {
  private inflight = new Map<string, Promise<RunReport>>()
  /** Called after each run ends (notifications); a hook's failure is logged, never the run's. */
  readonly afterRun: ((report: RunReport) => Promise<void>)[] = []
  readonly ops: OpsDb
  readonly claims: Claims

  constructor(
    readonly services: Services,
    readonly registry: Registry,
    opts: RunnerOptions = {},
  ) {
    this.ops = openOps(services.wh.file, services.wh.sqlite)
    this.claims = new Claims(this.ops, newHolder(), opts.leaseMs ?? 5 * 60_000)
  }

  /** Session status of every account of every source that logs in. */
  sessionStatuses() {
    return this.services.credentials.statusAll()
  }

  /** Whether any run is going in this process. */
  get busy(): boolean {
    return this.inflight.size > 0
  }

  isRunning(source: string): boolean {
    return this.inflight.has(source)
  }

  /** Runs one source; refused (409 at the HTTP edge) while a run of it goes, in this or another process. */
  run(req: RunRequest): Promise<RunReport> {
    if (!this.registry.sources.has(req.source)) throw new AppError('NotFound', `unknown source '${req.source}'`)
    const { from, to } = req.window ?? {}
    if (from && to && from > to) throw new AppError('BadRequest', `window from ${from} is after to ${to}`, { field: 'from' })
    if (this.inflight.has(req.source)) throw new AppError('RunInProgress', `a run of '${req.source}' is already going in this process`)
    const p = this.execute(req)
      .then(async (report) => {
        for (const hook of this.afterRun) await hook(report).catch((err) => this.services.log.error({ err }, 'after-run hook failed'))
        return report
      })
      .finally(() => this.inflight.delete(req.source))
    this.inflight.set(req.source, p)
    return p
  }

  runStep(source: string, only: StepKind, req: Omit<RunRequest, 'source' | 'only' | 'trigger'> = {}): Promise<RunReport> {
    return this.run({ ...req, source, only, trigger: 'http' })
  }

  /** Every source (or the given ones) in order; nothing one source throws reaches the next. */
  async runAll(req: Omit<RunRequest, 'source'>, sources = [...this.registry.sources.keys()]): Promise<RunReport[]> {
    const reports: RunReport[] = []
    for (const source of sources) {
      try {
        reports.push(await this.run({ ...req, source }))
      } catch (err) {
        reports.push(notStarted(source, err))
        this.services.log.warn({ source, err: (err as Error).message }, 'source not run')
      }
    }
    return reports
  }

  /** Marks `running` rows whose run holds no live claim (its process ended) as crashed. */
  async markCrashed(): Promise<number> {
    const live = await this.claims.liveRunIds()
    const running = await this.ops.db.selectFrom('runs').select(['id', 'pid']).where('status', '=', 'running').execute()
    const dead = running.filter((r) => !live.has(r.id) || (r.pid !== null && !processAlive(r.pid))).map((r) => r.id)
    return this.crashed(dead)
  }

  private async crashed(ids: string[]): Promise<number> {
    if (!ids.length) return 0
    const res = await this.ops.write((db) =>
      db
        .updateTable('runs')
        .set({ status: 'crashed', severity: 'high', message: 'process ended while the run was going', finished_at: new Date().toISOString() })
        .where('id', 'in', ids)
        .where('status', '=', 'running')
        .executeTakeFirst(),
    )
    return Number(res.numUpdatedRows)
  }

  private async execute(req: RunRequest): Promise<RunReport> {
    const runId = `${req.source}-${new Date().toISOString().replace(/[-:.]/g, '')}-${randomUUID().slice(0, 8)}`
    const claim = await this.claims.claim(req.source, runId)
    if (!isClaim(claim)) {
      const where = claim.pid ? ` in process ${claim.pid}` : ` by ${claim.holder}`
      throw new AppError('RunInProgress', `a run of '${req.source}' is already going${where} (${claim.runId})`)
    }
    if (claim.tookOverFrom) await this.crashed([claim.tookOverFrom])
    const heartbeat = setInterval(() => {
      this.claims.renew(claim).then(
        (held) => held || this.services.log.error({ source: req.source, runId }, 'run claim lost: its lease ran out'),
        (err) => this.services.log.warn({ source: req.source, err: (err as Error).message }, 'run claim not renewed'),
      )
    }, this.claims.leaseMs / 4)
    heartbeat.unref()
    try {
      return await this.steps(req, runId)
    } finally {
      clearInterval(heartbeat)
      await this.claims.release(claim).catch((err) => this.services.log.warn({ err: (err as Error).message }, 'run claim not released'))
    }
  }

  private async steps(req: RunRequest, runId: string): Promise<RunReport> {
    const fns = this.registry.sources.get(req.source)!
    const mode = req.mode ?? 'automated'
    const window = req.window ?? {}
    const startedAt = new Date().toISOString()
    const ctx = runContext(this.services, { runId, mode, window })
    const heal = !req.only && !req.rebuild ? await healNeeded(this.ops, req.source) : null
    const rebuild = req.rebuild || heal !== null
    const skipExtract = req.skipExtract || rebuild
    await this.ops.write((db) =>
      db
        .insertInto('runs')
        .values({
          id: runId,
          source: req.source,
          trigger: req.trigger,
          mode,
          skip_extract: skipExtract ? 1 : 0,
          window_from: window.from ?? null,
          window_to: window.to ?? null,
          status: 'running',
          started_at: startedAt,
          pid: process.pid,
        })
        .execute(),
    )
    ctx.log.info({ source: req.source, trigger: req.trigger, mode, rebuild }, heal ? `run started; rebuilding from landing: ${heal}` : 'run started')

    const steps: RunReport['steps'] = {}
    let stop: { status: Status; severity: Severity; message: string } | null = null
    try {
      const prepared = rebuild ? await prepareRebuild(ctx, this.ops, req.source) : null
      for (const kind of STEP_KINDS) {
        const def = fns.steps[kind]
        if (!def || (req.only && req.only !== kind)) continue
        if (kind === 'extract' && skipExtract) continue
        const session = this.services.sources.get(req.source)
        if (kind === 'extract' && session?.session) {
          const blocked = await this.authBlock(
            req.source,
            session.accounts.map((a) => a.name),
          )
          if (blocked) {
            stop = { status: 'needs_auth', severity: 'low', message: blocked }
            break
          }
        }
        const result = await this.step(ctx, req.source, kind, prepared)
        steps[kind] = result
        await this.ops.write((db) =>
          db
            .insertInto('steps')
            .values({
              run_id: runId,
              step: kind,
              status: result.status,
              severity: result.severity ?? null,
              files_in: result.filesIn,
              files_out: result.filesOut,
              rows_in: result.rowsIn,
              rows_out: result.rowsOut,
              rows_quarantined: result.rowsQuarantined,
              message: result.message ?? null,
              started_at: result.startedAt,
              finished_at: result.finishedAt,
            })
            .execute(),
        )
        ctx.log.info({ source: req.source, step: kind, status: result.status, rowsOut: result.rowsOut }, result.message ?? `${kind} ${result.status}`)
        if (result.status === 'needs_auth') {
          // A login wall met mid-extract: nothing downstream runs on a half-finished extract.
          stop = { status: 'needs_auth', severity: 'low', message: result.message ?? 'log in again' }
          break
        }
        if (kind === 'clean' && result.status === 'failed' && result.severity === 'high') break
      }
      if (prepared && steps.load && steps.load.status !== 'failed') await finishRebuild(ctx, this.ops, req.source, prepared)
    } catch (err) {
      // Bookkeeping failed (a database busy past our patience, a full disk): the run ends failed, recorded.
      stop = { status: 'failed', severity: 'high', message: `run aborted: ${err instanceof Error ? err.message : String(err)}` }
      ctx.log.error({ err, source: req.source }, 'run aborted')
    }
    if (steps.load?.status === 'ok') bumpDataVersion()

    const summary = stop ?? summarize(steps)
    if (rebuild && !stop) summary.message = [heal ? `rebuilt from landing: ${heal}` : 'rebuilt from landing', summary.message].filter(Boolean).join('; ')
    const finishedAt = new Date().toISOString()
    await this.ops.write((db) =>
      db
        .updateTable('runs')
        .set({ status: summary.status, severity: summary.severity ?? null, message: summary.message ?? null, finished_at: finishedAt })
        .where('id', '=', runId)
        .execute(),
    )
    const level = summary.status === 'failed' ? 'error' : summary.status === 'needs_auth' ? 'warn' : 'info'
    ctx.log[level]({ source: req.source, status: summary.status, severity: summary.severity }, summary.message ?? 'run finished')
    return { runId, source: req.source, ...summary, steps, startedAt, finishedAt, ...(rebuild ? { rebuilt: true } : {}) }
  }

  /** One step; a clean is bracketed by a mark (a clean killed half-way is healed by a rebuild), a rebuild's load replaces the source's rows. */
  private async step(ctx: Context, source: string, kind: StepKind, prepared: Prepared | null) {
    const def = this.registry.sources.get(source)!.steps[kind]!
    const startedAt = new Date().toISOString()
    try {
      if (kind === 'clean') await markPending(this.ops, source, CLEAN_PENDING, ctx.runId)
      if (kind === 'load' && prepared) {
        // Which rows the source owns comes from its declaration (functions/<source>/source.ts).
        const owned = this.services.sources.get(source)?.tables ?? []
        const { result, applied } = await withReplace(owned, () => def.run(ctx))
        // Skipped without a write transaction: nothing curated is left, so none of its rows may stay. A
        // loader that wrote outside bulk.ts cannot have its rows replaced: said, never guessed at.
        if (!applied && result.status === 'skipped') await this.ops.write((db) => deleteOwned(db, owned))
        else if (!applied && result.status === 'ok')
          ctx.log.warn({ source }, 'rebuild: the loader wrote outside withBulkWriter; rows it no longer has were not removed')
        return result
      }
      const result = await def.run(ctx)
      if (kind === 'clean' && !prepared) await clearPending(this.ops, source, CLEAN_PENDING)
      return result
    } catch (err) {
      return thrownStep(err, startedAt)
    }
  }

  /** Returns the "log in again" message when no account of the source has a usable session. */
  private async authBlock(source: string, accounts: readonly string[]): Promise<string | null> {
    const statuses = await Promise.all(accounts.map((a) => this.services.credentials.status(source, a)))
    const usable = statuses.filter((s) => s.status === 'valid' || s.status === 'expiring')
    if (usable.length) return null
    return statuses
      .map((s) => `session ${s.status} for ${source}${s.account === 'default' ? '' : ` (${s.account})`}: log in again with \`${s.command}\``)
      .join('; ')
  }
}

function notStarted(source: string, err: unknown): RunReport {
  const at = new Date().toISOString()
  const busy = err instanceof AppError && err.code === 'RunInProgress'
  const message = err instanceof Error ? err.message : String(err)
  return {
    runId: '',
    source,
    status: busy ? 'skipped' : 'failed',
    severity: busy ? 'low' : 'high',
    message,
    steps: {},
    startedAt: at,
    finishedAt: at,
    outcome: busy ? 'busy' : 'error',
  }
}
