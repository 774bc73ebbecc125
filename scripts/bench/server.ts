/** Starts scripts/bench/serve.ts as a child process over a data dir; resolves with its URL. */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

export async function startServer(dataDir: string): Promise<{ url: string; child: ChildProcess; stop(): void }> {
  const child = spawn(path.resolve('node_modules/.bin/tsx'), ['--max-semi-space-size=4', 'scripts/bench/serve.ts'], {
    env: { ...process.env, BEDROT_DATA_DIR: dataDir, BEDROT_SESSIONS_DIR: path.join(dataDir, '..', 'sessions'), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d
      const m = /PORT (\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
  })
  return { url: `http://127.0.0.1:${port}`, child, stop: () => child.kill('SIGTERM') }
}
