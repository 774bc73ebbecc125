/** P3: the daily no-op run of every source, in its own process (scripts/bench/daily-worker.ts). */
import { spawnSync } from 'node:child_process'
import path from 'node:path'

export interface DailyBench {
  sources: number
  firstMs: number
  noopMs: number
  noopSkipExtractMs: number
  noop: { source: string; status: string; ms: number; steps: Record<string, string> }[]
}

export function benchDaily(): DailyBench {
  const child = spawnSync(path.resolve('node_modules/.bin/tsx'), ['--max-semi-space-size=4', 'scripts/bench/daily-worker.ts'], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
    env: { ...process.env, LOG_LEVEL: 'warn' },
  })
  if (child.status !== 0) throw new Error(`daily bench failed: ${child.stderr}`)
  return JSON.parse(child.stdout.trim().split('\n').pop()!)
}
