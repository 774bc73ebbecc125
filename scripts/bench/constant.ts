/**
 * P4's reference: a bare @hono/node-server answering one constant body (the size of a KPI response) in
 * its own process (to every path), loaded by the same autocannon settings and request list as the KPI
 * bench, after the same warm-up, on the same machine and run.
 */
import { spawn } from 'node:child_process'
import autocannon from 'autocannon'
import { WARM_UP_SECONDS } from './kpi.ts'

const SERVER = `
import { serve } from '@hono/node-server'
const body = 'x'.repeat(Number(process.env.BODY_BYTES))
serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response(body, { headers: { 'content-type': 'application/json; charset=utf-8', etag: '"constant"', 'cache-control': 'no-cache' } }) }, (i) => console.log('PORT ' + i.port))
`

/** `paths`: the KPI bench's own request list, so the load generator does the same work against both servers. */
export async function benchConstant(bodyBytes: number, paths: string[], seconds = 10) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SERVER], {
    env: { ...process.env, BODY_BYTES: String(bodyBytes) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        const m = /PORT (\d+)/.exec(String(d))
        if (m) resolve(Number(m[1]))
      })
      child.once('exit', (code) => reject(new Error(`constant server exited with ${code}`)))
    })
    const requests = paths.map((path) => ({ method: 'GET' as const, path }))
    await autocannon({ url: `http://127.0.0.1:${port}`, connections: 32, duration: WARM_UP_SECONDS, requests })
    const r = await autocannon({ url: `http://127.0.0.1:${port}`, connections: 32, duration: seconds, requests })
    return { requestsPerSec: r.requests.average, p99Ms: r.latency.p99, p50Ms: r.latency.p50 }
  } finally {
    child.kill('SIGTERM')
  }
}
