/**
 * @module Telling people in time, once per event. Events come from the health report (one truth for
 * the page, /health and the messages): a session about to expire (with the command to run), a session
 * that expired, a source whose runs fail, data gone stale. Each has a stable key; a new key is stored
 * in `notifications` and sent on every configured channel; a key already stored is never sent again,
 * however many runs see it. A send that failed is retried on later checks, a few times at most.
 */
import type { Kysely } from 'kysely'
import { health, type HealthOptions, type HealthReport } from '../health.ts'
import type { Runner } from '../pipeline.ts'
import type { DB } from '../warehouse/schema.ts'
import { channelsFrom, type Channel, type Message } from './channels.ts'

const MAX_ATTEMPTS = 5

/** Which health issues are news worth a message (stuck files and never-run sources show on the page only). */
export function eventsFrom(report: HealthReport, now = new Date()): Message[] {
  return report.issues
    .filter((i) => {
      if (i.kind === 'session-expiring' || i.kind === 'run-failed') return true
      // A session never stored is set-up, not news; one that ended, or a run refused for it, is.
      if (i.kind === 'session-expired') return !i.key.startsWith('session-missing:')
      return i.kind === 'stale' && i.level === 'error'
    })
    .map((i) => ({
      key: i.key,
      kind: i.kind,
      level: i.level,
      source: i.source,
      account: i.account ?? null,
      text: i.text,
      command: i.command ?? null,
      createdAt: now.toISOString(),
    }))
}

/** Stores the events whose key is new; returns how many were. */
export async function record(db: Kysely<DB>, events: Message[]): Promise<number> {
  let added = 0
  for (const e of events) {
    const res = await db
      .insertInto('notifications')
      .values({
        event_key: e.key,
        kind: e.kind,
        level: e.level,
        source: e.source,
        account: e.account,
        text: e.text,
        command: e.command,
        created_at: e.createdAt,
        webhook_at: null,
        email_at: null,
        last_error: null,
      })
      .onConflict((oc) => oc.column('event_key').doNothing())
      .executeTakeFirst()
    added += Number(res.numInsertedOrUpdatedRows ?? 0)
  }
  return added
}

/** Sends every stored notification a configured channel has not delivered yet. */
export async function deliver(db: Kysely<DB>, channels: Channel[], log?: { warn(o: object, m: string): void }): Promise<number> {
  if (!channels.length) return 0
  const column = (c: Channel) => (c.name === 'webhook' ? 'webhook_at' : 'email_at') as 'webhook_at' | 'email_at'
  let query = db.selectFrom('notifications').selectAll().where('attempts', '<', MAX_ATTEMPTS)
  query = query.where((eb) => eb.or(channels.map((c) => eb(column(c), 'is', null))))
  let sent = 0
  for (const row of await query.orderBy('id').execute()) {
    // Claim the attempt: another process checking at the same moment must not send it too.
    const claim = await db
      .updateTable('notifications')
      .set({ attempts: row.attempts + 1 })
      .where('id', '=', row.id)
      .where('attempts', '=', row.attempts)
      .executeTakeFirst()
    if (Number(claim.numUpdatedRows) !== 1) continue
    const m: Message = {
      key: row.event_key,
      kind: row.kind,
      level: row.level,
      source: row.source,
      account: row.account,
      text: row.text,
      command: row.command,
      createdAt: row.created_at,
    }
    for (const c of channels.filter((ch) => row[column(ch)] === null)) {
      try {
        await c.send(m)
        await db
          .updateTable('notifications')
          .set({ [column(c)]: new Date().toISOString() })
          .where('id', '=', row.id)
          .execute()
        sent++
      } catch (err) {
        const why = `${c.name}: ${(err as Error).message}`
        await db.updateTable('notifications').set({ last_error: why }).where('id', '=', row.id).execute()
        log?.warn({ notification: row.event_key, channel: c.name }, `notification not delivered: ${why}`)
      }
    }
  }
  return sent
}

/** Health → new events → stored → sent. Safe to call after every run and from any process. */
export async function checkAndNotify(runner: Runner, opts: HealthOptions = {}): Promise<{ added: number; sent: number }> {
  const { wh, config, log } = runner.services
  const report = await health(runner, opts)
  const added = await record(wh.db, eventsFrom(report))
  const sent = await deliver(wh.db, channelsFrom(config), log)
  return { added, sent }
}

/** Checks after every run this runner finishes; a failing check is logged, never the run's failure. */
export function attachNotifier(runner: Runner, opts: HealthOptions = {}): void {
  runner.afterRun.push(async () => {
    await checkAndNotify(runner, opts)
  })
}
