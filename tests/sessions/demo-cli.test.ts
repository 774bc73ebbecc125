/**
 * `npm run demo` as a person runs it: it serves on PORT, its /health and /notifications show the
 * TooLost login that is about to end with the command to renew it, and SIGTERM stops it cleanly (exit 0).
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers.ts'

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const port = (s.address() as { port: number }).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

describe('npm run demo', () => {
  it('honours PORT, shows the expiring TooLost login on /health and /notifications, and stops on SIGTERM', async () => {
    const port = await freePort()
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/demo.ts')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (c) => (out += c))
    child.stderr.on('data', (c) => (out += c))
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setInterval(() => {
          if (out.includes(`KPI page: http://127.0.0.1:${port}/`)) resolve()
          if (child.exitCode !== null) reject(new Error(`demo exited early:\n${out}`))
        }, 200)
        exited.finally(() => clearInterval(t))
        void new Promise((r) => setTimeout(r, 400_000)).then(() => clearInterval(t))
      })
      expect(out).toMatch(/note {4}TooLost's demo login ends in 3 days; renew it as a person would: .*npm run auth -- toolost/)
      const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as any
      expect(health.status).not.toBe('ok')
      const toolost = health.sources.find((s: any) => s.source === 'toolost')
      expect(toolost.sessions[0]).toMatchObject({ status: 'expiring', command: 'npm run auth -- toolost' })
      expect(toolost.lastRun.status).toBe('ok')
      const list = (await (await fetch(`http://127.0.0.1:${port}/notifications`)).json()) as any
      expect(list.notifications.filter((n: any) => n.kind === 'session-expiring').map((n: any) => [n.source, n.command])).toEqual([
        ['toolost', 'npm run auth -- toolost'],
      ])
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  }, 480_000)
})
