/**
 * KPI endpoints under load: the server in its own process over a warehouse with the bench ledger and a
 * year of daily data for every source; autocannon cycles over every KPI (the page's default 28-day
 * window), once as plain GETs (cached 200s) and once as the page polls them (If-None-Match → 304).
 */
import autocannon from 'autocannon'
import { startServer } from './server.ts'

export const WARM_UP_SECONDS = 3

export interface KpiBench {
  kpis: number
  /** The request paths cycled over (the reference server is loaded with the same list). */
  paths: string[]
  /** Mean size of a KPI response body (the constant server of P4's reference answers this many bytes). */
  meanBodyBytes: number
  firstComputeMs: number
  plain: { requestsPerSec: number; p99Ms: number; p50Ms: number; non2xx: number }
  conditional: { requestsPerSec: number; p99Ms: number; p50Ms: number; not304: number }
}

export async function benchKpi(dataDir: string, seconds = 10): Promise<KpiBench> {
  const server = await startServer(dataDir)
  try {
    const list = (await (await fetch(`${server.url}/kpi`)).json()) as { kpis: { name: string }[] }
    const paths = list.kpis.map((k) => `/kpi/${k.name}?days=28`)
    const etags: Record<string, string> = {}
    const t0 = performance.now()
    let bodyBytes = 0
    for (const p of paths) {
      const res = await fetch(server.url + p)
      if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${await res.text()}`)
      etags[p] = res.headers.get('etag') ?? ''
      bodyBytes += (await res.arrayBuffer()).byteLength
    }
    const firstComputeMs = performance.now() - t0
    const run = (requests: autocannon.Request[]) => autocannon({ url: server.url, connections: 32, duration: seconds, requests })
    // Both servers are measured after the same short warm-up: the first seconds under load are JIT time.
    await autocannon({ url: server.url, connections: 32, duration: WARM_UP_SECONDS, requests: paths.map((path) => ({ method: 'GET', path })) })
    const plain = await run(paths.map((path) => ({ method: 'GET', path })))
    const cond = await run(paths.map((path) => ({ method: 'GET', path, headers: { 'if-none-match': etags[path] } })))
    return {
      kpis: paths.length,
      paths,
      meanBodyBytes: Math.round(bodyBytes / paths.length),
      firstComputeMs,
      plain: { requestsPerSec: plain.requests.average, p99Ms: plain.latency.p99, p50Ms: plain.latency.p50, non2xx: plain.non2xx },
      conditional: { requestsPerSec: cond.requests.average, p99Ms: cond.latency.p99, p50Ms: cond.latency.p50, not304: cond['2xx'] },
    }
  } finally {
    server.stop()
  }
}
