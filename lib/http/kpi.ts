/**
 * @module GET /kpi/:name. An envelope is computed once per data version (and session statuses, for the
 * KPIs that read them) and day, then kept as it goes on the wire: body bytes, ETag and a plain header
 * object. The page polls every KPI, so a cached answer must cost no serialising, hashing or header
 * building: a few map lookups and the Response around the kept bytes.
 */
import type { Hono } from 'hono'
import { AppError } from '../errors.ts'
import { dataVersion } from '../kpi/cache.ts'
import type { KpiDefinition, KpiEnvelope } from '../kpi/define.ts'
import { KpiQuery } from '../kpi/window.ts'
import type { Runner } from '../pipeline.ts'
import type { SessionStatus } from '../credentials/store.ts'
import { parseQuery } from './query.ts'
import { prebuiltResponse, resourceHeaderObject } from './secure.ts'

interface Answer {
  version: string
  today: string
  etag: string
  body: Uint8Array<ArrayBuffer>
  ok: Record<string, string>
  notModified: Record<string, string>
}

const utf8 = new TextEncoder()

interface Parsed {
  q: KpiQuery
  json: string
}

export function kpiRoute(app: Hono, runner: Runner, today: () => string): void {
  const { services, registry } = runner
  // The page polls the same few URLs: each distinct query string is validated once, then reused.
  const queries = new Map<string, Parsed>()
  // Per KPI, the answer to each query string.
  const answers = new Map<string, Map<string, Answer>>()
  // Bounded as a whole (as the single cache before it was): query strings are the client's to vary.
  let count = 0

  // statusAll answers the same list while no status changed: its hash is worked out once per list.
  let hashed: { list: readonly SessionStatus[]; hash: string } | undefined
  const sessionsHash = (list: readonly SessionStatus[]) => {
    if (hashed?.list !== list) hashed = { list, hash: hashString(JSON.stringify(list)) }
    return hashed.hash
  }

  async function answer(def: KpiDefinition, parsed: Parsed, version: string, day: string, sessions: readonly SessionStatus[] | null): Promise<Answer> {
    const envelope: KpiEnvelope = await def.evaluate(
      { db: services.wh.db, today: day, sources: services.sources, sessions: async () => sessions ?? [] },
      parsed.q,
    )
    const etag = `"${version}-${hashString(`${def.name}?${parsed.json}&${day}`)}"`
    const secure = await resourceHeaderObject()
    return {
      version,
      today: day,
      etag,
      body: utf8.encode(JSON.stringify(envelope)),
      ok: { 'content-type': 'application/json; charset=utf-8', etag, 'cache-control': 'no-cache', ...secure },
      notModified: { etag, ...secure },
    }
  }

  app.get('/kpi/:name', async (c) => {
    const name = c.req.param('name')
    const def = registry.kpis.get(name)
    if (!def) throw new AppError('NotFound', `unknown KPI '${name.slice(0, 80)}'`)
    const url = c.req.url
    const at = url.indexOf('?')
    const raw = at < 0 ? '' : url.slice(at)
    let parsed = queries.get(raw)
    if (!parsed) {
      const q = parseQuery(KpiQuery, c)
      if (queries.size >= 1000) queries.clear()
      queries.set(raw, (parsed = { q: Object.freeze(q), json: JSON.stringify(q) }))
    }
    // Session statuses change with the clock, not with loads: KPIs that read them are keyed on them too.
    const sessions = def.usesSessions ? await runner.sessionStatuses() : null
    const data = dataVersion(services.wh.sqlite)
    const version = sessions ? `${data}:${sessionsHash(sessions)}` : data
    const day = today()
    let kept = answers.get(def.name)
    if (!kept) answers.set(def.name, (kept = new Map()))
    let a = kept.get(raw)
    if (!a || a.version !== version || a.today !== day) {
      a = await answer(def, parsed, version, day, sessions)
      if (!kept.has(raw) && ++count > 5000) {
        for (const m of answers.values()) m.clear()
        count = 1
      }
      kept.set(raw, a)
    }
    if (c.req.header('if-none-match') === a.etag) return prebuiltResponse(new Response(null, { status: 304, headers: a.notModified }))
    return prebuiltResponse(new Response(a.body, { status: 200, headers: a.ok }))
  })
}

function hashString(s: string): string {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return (h >>> 0).toString(36)
}
