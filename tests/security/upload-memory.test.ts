/**
 * The real server (scripts/start.ts in a child process) under a 300 MB upload with a 64 MB limit:
 * the upload is refused with 413 while the server's resident memory, sampled from /proc during the
 * upload, stays far below the body's size; nothing is left in landing; the server keeps serving.
 * The figures go to stdout for the record (memory is asserted as a bound, never time).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envFor, ROOT, tempDir } from '../helpers.ts'

const MB = 2 ** 20
const LIMIT_MB = 64
const UPLOAD_MB = 300

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : Number.NaN
}

/** Streams a multipart body of `sizeMb` chunk by chunk (never built whole); resolves with the answer. */
function upload(url: string, token: string, sizeMb: number, declareLength: boolean): Promise<{ status: number; body: string; sentMb: number }> {
  const boundary = 'bedrot-test-boundary'
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="dk_bank_details_20250601_000000.tsv"\r\nContent-Type: text/tab-separated-values\r\n\r\nReporting Date\tSale Month\tStore\tArtist\tTitle\r`)
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const chunk = Buffer.alloc(MB, 'a\t2025-01\tSpotify\tX\tY\r')
  const total = head.length + sizeMb * MB + tail.length
  return new Promise((resolve, reject) => {
    let sent = 0
    let answered = false
    const headers: Record<string, string | number> = { Authorization: `Bearer ${token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` }
    if (declareLength) headers['Content-Length'] = total
    const req = http.request(`${url}/import/distrokid`, { method: 'POST', headers })
    req.on('response', (res) => {
      answered = true
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sentMb: sent / MB }))
    })
    // The server may close the connection once it has answered; that is not a failure of the test.
    req.on('error', (err) => (answered ? undefined : reject(err)))
    const pump = async () => {
      req.write(head)
      for (let i = 0; i < sizeMb && !answered && !req.destroyed; i++) {
        sent += chunk.length
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r).once('close', r))
      }
      if (!answered && !req.destroyed) req.end(tail)
    }
    pump().catch(reject)
  })
}

describe('a 300 MB upload against the real server', () => {
  let child: ChildProcess
  let url = ''
  let dir = ''
  let env: Record<string, string>

  beforeAll(async () => {
    dir = await tempDir()
    env = envFor(dir, {
      PORT: '0',
      BEDROT_MAX_UPLOAD_MB: String(LIMIT_MB),
      LOG_LEVEL: 'warn',
      // Nothing upstream to reach: the catch-up daily run at start-up ends at once.
      DISTROKID_BASE_URL: 'http://127.0.0.1:9',
      TOOLOST_BASE_URL: 'http://127.0.0.1:9',
      SPOTIFY_ARTISTS_BASE_URL: 'http://127.0.0.1:9',
      SPOTIFY_API_BASE_URL: 'http://127.0.0.1:9',
    })
    // node --import tsx: one process, so its /proc entry is the server's own memory.
    child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/start.ts')], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    url = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout!.on('data', (d) => {
        out += d
        const m = /KPI page: (http:\/\/[^\s/]+)\//.exec(out)
        if (m) resolve(m[1])
      })
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
    })
    // Let start-up settle (the catch-up run) before taking the baseline.
    for (let i = 0; i < 100; i++) {
      const runs = (await (await fetch(`${url}/runs`)).json()) as { runs: { status: string }[] }
      if (runs.runs.length && runs.runs.every((r) => r.status !== 'running')) break
      await new Promise((r) => setTimeout(r, 100))
    }
  }, 60_000)
  afterAll(() => {
    child?.kill('SIGTERM')
  })

  it('is refused with 413, memory stays bounded, landing stays empty, the server keeps serving', async () => {
    const tokenFile = path.join(env.BEDROT_SESSIONS_DIR, 'api-token')
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600)
    const token = readFileSync(tokenFile, 'utf8').trim()
    const baseline = rssMb(child.pid!)
    let peak = baseline
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 10)
    let chunked: Awaited<ReturnType<typeof upload>>
    let declared: Awaited<ReturnType<typeof upload>>
    try {
      // No Content-Length: the server must count while it streams and stop at the limit.
      chunked = await upload(url, token, UPLOAD_MB, false)
      // A declared 300 MB is refused before the body is read.
      declared = await upload(url, token, UPLOAD_MB, true)
    } finally {
      clearInterval(sampler)
    }
    console.log(`[upload-memory] baseline RSS ${baseline.toFixed(1)} MB, peak ${peak.toFixed(1)} MB (+${(peak - baseline).toFixed(1)} MB) during a ${UPLOAD_MB} MB upload under a ${LIMIT_MB} MB limit; client had sent ${chunked.sentMb} MB (chunked) / ${declared.sentMb} MB (declared) when refused`)
    expect(chunked.status).toBe(413)
    expect(JSON.parse(chunked.body).error.message).toMatch(/larger than BEDROT_MAX_UPLOAD_MB \(64 MB\)/)
    expect(declared.status).toBe(413)
    expect(chunked.sentMb).toBeLessThan(UPLOAD_MB)
    // Far below the body: streaming holds a few buffers, never the upload.
    expect(peak - baseline).toBeLessThan(LIMIT_MB)
    const landing = path.join(env.BEDROT_DATA_DIR, '1_landing')
    const files = (await readdir(landing, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())
    expect(files.map((f) => f.name)).toEqual([])
    expect((await fetch(`${url}/health`)).status).toBe(200)
  }, 120_000)
})
