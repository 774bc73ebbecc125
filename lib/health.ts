/**
 * @module GET /health: each source's last run, its newest business date (where the source reports it)
 * and session warnings. Sources whose session expires within the refresh window are warnings.
 */
import { newestBusinessDate } from './kpi/queries.ts'
import { daysBetween } from './kpi/window.ts'
import type { Runner } from './pipeline.ts'
import type { FreshnessSpec } from './source.ts'

/** Business-date age against the source's own thresholds (its declaration's `freshness`). */
export function freshnessOf(newest: string | null, today: string, limits: Pick<FreshnessSpec, 'warnDays' | 'staleDays'> = { warnDays: 3, staleDays: 7 }): 'fresh' | 'warn' | 'stale' | 'empty' {
  if (!newest) return 'empty'
  const age = daysBetween(newest, today)
  return age <= limits.warnDays ? 'fresh' : age <= limits.staleDays ? 'warn' : 'stale'
}

export async function health(runner: Runner, today = new Date().toISOString().slice(0, 10)) {
  const { wh } = runner.services
  const sources = []
  for (const source of runner.registry.sources.keys()) {
    const lastRun = await wh.db
      .selectFrom('runs')
      .select(['id', 'status', 'severity', 'message', 'started_at', 'finished_at'])
      .where('source', '=', source)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst()
    const declared = runner.services.sources.get(source)
    const newestDate = declared ? await newestBusinessDate(wh.db, declared) : null
    sources.push({ source, running: runner.isRunning(source), lastRun: lastRun ?? null, newestDate, freshness: freshnessOf(newestDate, today, declared?.freshness) })
  }
  const sessions = await runner.sessionStatuses()
  const warnings = [
    ...sessions
      .filter((s) => s.status !== 'valid')
      .map((s) => `${s.source}${s.account === 'default' ? '' : ` (${s.account})`} session ${s.status}${s.status === 'expiring' ? ` in ${s.daysLeft} days` : ''}: run \`${s.command}\``),
    ...sources.filter((s) => s.freshness === 'stale').map((s) => `${s.source}: newest data is from ${s.newestDate}`),
    ...sources.filter((s) => s.lastRun?.status === 'failed' || s.lastRun?.status === 'crashed').map((s) => `${s.source}: last run ${s.lastRun!.status}: ${s.lastRun!.message ?? ''}`),
  ]
  const status = sources.some((s) => s.lastRun?.status === 'failed' || s.lastRun?.status === 'crashed') ? 'degraded' : 'ok'
  return { status, sources, sessions, warnings }
}
