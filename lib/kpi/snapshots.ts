/**
 * @module Window-total snapshots (track_streams_snapshot / country_streams_snapshot): per distributor
 * and platform, the newest snapshot whose window ends by the KPI window's end. Snapshots of different
 * windows overlap, so only one per distributor and platform is ever read — never a sum of them.
 */
import { sql } from 'kysely'
import type { KpiEnv } from './define.ts'
import { distributorName, platformName } from './complete-days.ts'
import type { Window } from './window.ts'

type Table = 'track_streams_snapshot' | 'country_streams_snapshot'

export function snapshotRange(table: Table) {
  return async ({ db }: KpiEnv) => {
    const { rows } = await sql<{ min: string | null; max: string | null }>`
      select min(period_from) as min, max(period_to) as max from ${sql.table(table)}`.execute(db)
    return { min: rows[0]?.min ?? null, max: rows[0]?.max ?? null }
  }
}

/** The newest snapshot per (distributor, platform) ending by `w.to`: its window and rows. */
export async function newestSnapshots(env: KpiEnv, table: Table, w: Window) {
  const heads = await env.db
    .selectFrom(table)
    .select(['distributor', 'platform', sql<string>`max(period_to)`.as('period_to')])
    .where('period_to', '<=', w.to)
    .groupBy(['distributor', 'platform'])
    .execute()
  const out = []
  for (const h of heads) {
    const rows = (await env.db
      .selectFrom(table)
      .selectAll()
      .where('distributor', '=', h.distributor)
      .where('platform', '=', h.platform)
      .where('period_to', '=', h.period_to)
      .orderBy('streams', 'desc')
      .execute()) as Record<string, unknown>[]
    const from = String(rows[0]?.period_from ?? h.period_to)
    out.push({
      distributor: h.distributor,
      platform: h.platform,
      period: { from, to: h.period_to },
      label: `${distributorName(h.distributor)} ${platformName(h.platform)}, ${from} … ${h.period_to}`,
      rows,
    })
  }
  return out
}
