/**
 * @module Single flight per source as one atomic claim in the warehouse: an INSERT … ON CONFLICT DO
 * UPDATE … WHERE the lease has run out. The holder renews its lease while it runs; a holder that died
 * blocks its source for one lease at most — at once when its pid is known dead on this host.
 */
import { hostname } from 'node:os'
import { randomUUID } from 'node:crypto'
import type { OpsDb } from './ops.ts'

export interface Claim {
  source: string
  runId: string
  holder: string
  /** The run this claim took over from (a dead holder's), to be marked crashed. */
  tookOverFrom: string | null
}

export interface Held {
  runId: string
  holder: string
  pid: number | null
  leaseUntil: number
}

const HOST = hostname()

/** `host:pid:instance` — one per Runner, so two runners in one process are two holders. */
export function newHolder(): string {
  return `${HOST}:${process.pid}:${randomUUID().slice(0, 8)}`
}

function pidOf(holder: string): number | null {
  const [host, pid] = holder.split(':')
  return host === HOST && /^\d+$/.test(pid) ? Number(pid) : null
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export class Claims {
  constructor(
    private ops: OpsDb,
    readonly holder: string,
    readonly leaseMs: number,
  ) {}

  /** Takes the source or returns who holds it. */
  async claim(source: string, runId: string, now = Date.now()): Promise<Claim | Held> {
    const leaseUntil = now + this.leaseMs
    // A live claim is answered by a read: under WAL a read never waits, while a write would wait for
    // the holder's load to commit.
    const live = await this.held(source)
    if (live && live.leaseUntil >= now && (live.pid === null || processAlive(live.pid))) return live
    return this.ops.write(async (db) => {
      const before = await this.held(source)
      const res = await db
        .insertInto('run_claims')
        .values({ source, run_id: runId, holder: this.holder, lease_until: leaseUntil })
        .onConflict((oc) =>
          oc.column('source').doUpdateSet({ run_id: runId, holder: this.holder, lease_until: leaseUntil }).where('run_claims.lease_until', '<', now),
        )
        .executeTakeFirst()
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 1) return { source, runId, holder: this.holder, tookOverFrom: before?.runId ?? null }
      const current = await this.held(source)
      if (!current) return this.claim(source, runId, now)
      if (current.pid === null || processAlive(current.pid)) return current
      // Its process is gone: take over exactly that claim (compare-and-swap on its run id).
      const stolen = await db
        .updateTable('run_claims')
        .set({ run_id: runId, holder: this.holder, lease_until: leaseUntil })
        .where('source', '=', source)
        .where('run_id', '=', current.runId)
        .executeTakeFirst()
      if (Number(stolen.numUpdatedRows) === 1) return { source, runId, holder: this.holder, tookOverFrom: current.runId }
      return (await this.held(source)) ?? current
    })
  }

  async held(source: string): Promise<Held | null> {
    const row = await this.ops.db.selectFrom('run_claims').selectAll().where('source', '=', source).executeTakeFirst()
    return row ? { runId: row.run_id, holder: row.holder, pid: pidOf(row.holder), leaseUntil: row.lease_until } : null
  }

  /** Renews the lease; false when the claim was lost (taken over after the lease ran out). */
  async renew(c: Claim): Promise<boolean> {
    const res = await this.ops.write(
      (db) =>
        db
          .updateTable('run_claims')
          .set({ lease_until: Date.now() + this.leaseMs })
          .where('source', '=', c.source)
          .where('run_id', '=', c.runId)
          .executeTakeFirst(),
      this.leaseMs / 4,
    )
    return Number(res.numUpdatedRows) === 1
  }

  async release(c: Claim): Promise<void> {
    await this.ops.write((db) => db.deleteFrom('run_claims').where('source', '=', c.source).where('run_id', '=', c.runId).execute())
  }

  /** Run ids whose claim is live: a `running` row without one was left by a process that ended. */
  async liveRunIds(now = Date.now()): Promise<Set<string>> {
    const rows = await this.ops.db.selectFrom('run_claims').select(['run_id', 'holder']).where('lease_until', '>=', now).execute()
    return new Set(
      rows
        .filter((r) => {
          const pid = pidOf(r.holder)
          return pid === null || processAlive(pid)
        })
        .map((r) => r.run_id),
    )
  }
}

export function isClaim(x: Claim | Held): x is Claim {
  return 'tookOverFrom' in x
}
