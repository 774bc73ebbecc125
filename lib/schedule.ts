/**
 * @module The daily trigger: node-cron calls the same runner as HTTP and the CLI. Each source's outcome
 * for the day is recorded when it ends (daily_runs); a source that did not complete (threw, was held by
 * another process, failed, or the process died) is rerun by the catch-up at the next start. A day missed
 * entirely while the machine was off is caught up once (not once per missed day).
 */
import cron, { type ScheduledTask } from 'node-cron'
import type { Runner } from './pipeline.ts'
import type { RunReport } from './run-report.ts'
import { getState } from './warehouse/state.ts'

const DAY = 86_400_000
/** Outcomes after which rerunning the same day would change nothing without a person. */
const COMPLETE = new Set(['ok', 'skipped', 'needs_auth'])

/** `YYYY-MM-DD` of `now` in the label's time zone. */
export function dayIn(timezone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

function outcomeOf(r: RunReport): string {
  return r.outcome ?? r.status
}

/** Runs, for `day`, every source that has not completed it; records each outcome as it ends. */
export async function dailyRun(runner: Runner, day = dayIn(runner.services.config.timezone)): Promise<RunReport[]> {
  const { log } = runner.services
  const { ops } = runner
  const sources = [...runner.registry.sources.keys()]
  const reports: RunReport[] = []
  try {
    const now = new Date().toISOString()
    await ops.write(async (db) => {
      await db
        .insertInto('source_state')
        .values([
          { source: '_scheduler', key: 'last_daily_run', value: now, updated_at: now },
          { source: '_scheduler', key: 'last_daily_day', value: day, updated_at: now },
        ])
        .onConflict((oc) => oc.columns(['source', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: now })))
        .execute()
      await db
        .insertInto('daily_runs')
        .values(sources.map((source) => ({ day, source, status: 'pending', run_id: null, message: null, updated_at: now })))
        .onConflict((oc) => oc.columns(['day', 'source']).doNothing())
        .execute()
    })
    const done = await ops.db.selectFrom('daily_runs').select(['source', 'status']).where('day', '=', day).execute()
    const todo = sources.filter((s) => !COMPLETE.has(done.find((d) => d.source === s)?.status ?? 'pending'))
    for (const source of todo) {
      const [report] = await runner.runAll({ trigger: 'cron', mode: 'automated' }, [source])
      reports.push(report)
      try {
        await ops.write((db) =>
          db
            .updateTable('daily_runs')
            .set({ status: outcomeOf(report), run_id: report.runId || null, message: report.message ?? null, updated_at: new Date().toISOString() })
            .where('day', '=', day)
            .where('source', '=', source)
            .execute(),
        )
      } catch (err) {
        // Left `pending`: the catch-up reruns it, which is the safe side.
        log.error({ err, source, day }, 'daily outcome not recorded')
      }
    }
    log.info({ day, runs: reports.map((r) => ({ source: r.source, status: outcomeOf(r) })) }, 'daily run finished')
  } catch (err) {
    log.error({ err, day }, 'daily run failed')
  }
  return reports
}

/** The sources of `day` that did not complete (never started, failed, busy, or still `pending` after a crash). */
export async function incompleteSources(runner: Runner, day: string): Promise<string[]> {
  const rows = await runner.ops.db.selectFrom('daily_runs').select(['source', 'status']).where('day', '=', day).execute()
  return rows
    .filter((r) => !COMPLETE.has(r.status) && runner.registry.sources.has(r.source))
    .map((r) => r.source)
    .sort()
}

/**
 * At start-up: no daily run for more than a day (or never) → today's daily run; otherwise the last
 * daily run's sources that did not complete are rerun for that day. Returns what it ran.
 */
export async function catchUp(runner: Runner, now = new Date()): Promise<RunReport[]> {
  const db = runner.services.wh.db
  const last = await getState(db, '_scheduler', 'last_daily_run')
  const lastDay = await getState(db, '_scheduler', 'last_daily_day')
  if (!last || !lastDay || now.getTime() - Date.parse(last) > DAY) return dailyRun(runner, dayIn(runner.services.config.timezone, now))
  if (!(await incompleteSources(runner, lastDay)).length) return []
  return dailyRun(runner, lastDay)
}

export function scheduleDaily(runner: Runner): ScheduledTask {
  const { config } = runner.services
  return cron.schedule(
    config.cron,
    async () => {
      await dailyRun(runner)
    },
    { timezone: config.timezone, name: 'daily-run', noOverlap: true },
  )
}

/** True when the last daily run is more than a day old (or never happened). */
export async function missedDailyRun(runner: Runner, now = new Date()): Promise<boolean> {
  const last = await getState(runner.services.wh.db, '_scheduler', 'last_daily_run')
  return !last || now.getTime() - Date.parse(last) > DAY
}
