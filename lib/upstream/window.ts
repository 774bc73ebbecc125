/**
 * @module Which days an API extractor asks for: the requested backfill window, else a trailing window
 * ending today. APIs restate recent days (Instagram, YouTube and Meta up to 48–72 h late, §10.4), so
 * every run re-reads the trailing days and the curated merge lets the newest extract win.
 */
import type { Context } from '../context.ts'
import { addDays } from '../kpi/window.ts'

export function fetchWindow(ctx: Pick<Context, 'window' | 'now'>, trailingDays: number): { from: string; to: string } {
  const today = ctx.now.toISOString().slice(0, 10)
  const to = ctx.window.to && ctx.window.to < today ? ctx.window.to : today
  const from = ctx.window.from ?? addDays(to, -(trailingDays - 1))
  return { from, to }
}

/** [from, to] cut into consecutive windows of at most `days` days (APIs cap a request's span). */
export function chunks(w: { from: string; to: string }, days: number): { from: string; to: string }[] {
  const out = []
  for (let from = w.from; from <= w.to; from = addDays(from, days)) {
    const end = addDays(from, days - 1)
    out.push({ from, to: end < w.to ? end : w.to })
  }
  return out
}
