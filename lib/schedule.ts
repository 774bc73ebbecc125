/**
 * @module The daily trigger: node-cron calls the same runner as HTTP and the CLI. A day missed while
 * the machine was off is caught up once at start-up (not once per missed day).
 */
import cron, { type ScheduledTask } from 'node-cron'
import type { Runner } from './pipeline.ts'
import { getState, setState } from './warehouse/state.ts'

const DAY = 86_400_000

export async function dailyRun(runner: Runner): Promise<void> {
  const log = runner.services.log
  try {
    await setState(runner.services.wh.db, '_scheduler', 'last_daily_run', new Date().toISOString())
    const reports = await runner.runAll({ trigger: 'cron', mode: 'automated' })
    log.info({ runs: reports.map((r) => ({ source: r.source, status: r.status })) }, 'daily run finished')
  } catch (err) {
    log.error({ err }, 'daily run failed')
  }
}

export function scheduleDaily(runner: Runner): ScheduledTask {
  const { config } = runner.services
  return cron.schedule(config.cron, () => dailyRun(runner), { timezone: config.timezone, name: 'daily-run', noOverlap: true })
}

/** True when the last daily run is more than a day old (or never happened). */
export async function missedDailyRun(runner: Runner, now = new Date()): Promise<boolean> {
  const last = await getState(runner.services.wh.db, '_scheduler', 'last_daily_run')
  return !last || now.getTime() - Date.parse(last) > DAY
}
