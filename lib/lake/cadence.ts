/**
 * @module How often a heavy export is downloaded. Some upstream files cost a browser run of seconds and
 * are throttled when asked for too often (DistroKid's bank-details ledger, TikTok's Overview export), while
 * what they hold changes at most daily. A run downloads one only when none is in landing yet, or when the
 * newest is at least `every` old; a clock that went backwards counts as due. 0 means every run.
 */
import type { Context } from '../context.ts'
import type { LakeFile } from './lake.ts'

export interface Cadence {
  source: string
  dataset: string
  /** Which landing files count, e.g. one account's exports. */
  match?: (f: LakeFile) => boolean
  everyMs: number
  /** Said when not due, e.g. "the ledger" and its setting's env variable. */
  what: string
  setting: string
}

export async function cadenceDue(ctx: Context, c: Cadence): Promise<{ due: true } | { due: false; why: string }> {
  if (c.everyMs <= 0) return { due: true }
  const stamps = (await ctx.lake.list('landing', c.source, c.dataset))
    .filter((f) => f.extractedAt && (!c.match || c.match(f)))
    .map((f) => f.extractedAt!.getTime())
  if (!stamps.length) return { due: true }
  const age = ctx.now.getTime() - Math.max(...stamps)
  if (age >= c.everyMs || age < 0) return { due: true }
  const [n, unit, every] = c.everyMs >= 86_400_000 ? [age / 86_400_000, 'days', c.everyMs / 86_400_000] : [age / 3_600_000, 'hours', c.everyMs / 3_600_000]
  return { due: false, why: `${c.what} was downloaded ${n.toFixed(1)} ${unit} ago (again after ${every} ${unit}, ${c.setting})` }
}
