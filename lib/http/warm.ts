/**
 * @module After runs, the page's default view is asked for before anyone opens it, so the first visit
 * after the daily run is answered from the KPI cache: computing every KPI anew takes seconds on a large
 * ledger (7.7 s for the 33 KPIs over the 1M-line bench warehouse). It asks the page itself (GET /)
 * through the app, with the same guards and token as any client, so exactly what the page needs is
 * computed. It waits until no run is going, so a run of all sources warms once, at its end.
 */
import type { Hono } from 'hono'
import type { Logger } from '../log.ts'
import type { Runner } from '../pipeline.ts'

export interface Warmer {
  /** Settles when the warm-up now scheduled or going has finished (tests wait on it). */
  idle(): Promise<void>
}

/** The warmer of each app created with `warm` (lib/app.ts). */
export const warmers = new WeakMap<Hono, Warmer>()

export function warmAfterRuns(app: Hono, runner: Runner, o: { host: string; token: string; log: Logger; delayMs?: number }): Warmer {
  let timer: NodeJS.Timeout | undefined
  let going: Promise<void> = Promise.resolve()
  let waiting: (() => void)[] = []
  const settle = () => {
    for (const w of waiting) w()
    waiting = []
  }
  const warm = async () => {
    const t0 = performance.now()
    const res = await app.request(`http://${o.host}/`, { headers: { authorization: `Bearer ${o.token}` } })
    await res.arrayBuffer()
    o.log.debug({ ms: Math.round(performance.now() - t0), status: res.status }, 'KPI page warmed after runs')
  }
  const fire = () => {
    timer = undefined
    // Another run started meanwhile: its own end schedules the warm-up.
    if (runner.busy) return settle()
    going = going
      .then(warm)
      .catch((err) => o.log.warn({ err }, 'warming the KPI page after runs failed'))
      .finally(settle)
  }
  runner.afterRun.push(async () => {
    clearTimeout(timer)
    timer = setTimeout(fire, o.delayMs ?? 1000)
    timer.unref()
  })
  return {
    idle: () => (timer ? new Promise<void>((resolve) => waiting.push(resolve)) : going),
  }
}
