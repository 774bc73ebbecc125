/**
 * Bench child (P3): every source against its fake in a fresh folder — a first daily run loads a year,
 * then the daily run is timed again with nothing new upstream (the fakes answer the same data), and once
 * more with extraction skipped (what clean → load cost when landing holds nothing new). Prints JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from '../../lib/config.ts'
import { openServices } from '../../lib/context.ts'
import { startSandbox } from '../../lib/fakes/sandbox.ts'
import { Runner } from '../../lib/pipeline.ts'
import { loadRegistry } from '../../lib/registry.ts'

const dir = await mkdtemp(path.join(tmpdir(), 'bench-daily-'))
const sandbox = await startSandbox(new Date().toISOString().slice(0, 10))
const config = loadConfig({
  ...process.env,
  ...sandbox.env,
  BEDROT_DATA_DIR: path.join(dir, 'lake'),
  BEDROT_SESSIONS_DIR: path.join(dir, 'sessions'),
  LOG_LEVEL: 'warn',
})
await sandbox.logIn(config.sessionsDir)
const services = await openServices(config)
const runner = new Runner(services, await loadRegistry())
const timed = async (skipExtract: boolean) => {
  const t0 = performance.now()
  const reports = await runner.runAll({ trigger: 'cli', mode: 'automated', skipExtract })
  const ms = performance.now() - t0
  return {
    ms,
    runs: reports.map((r) => ({
      source: r.source,
      status: r.status,
      ms: Date.parse(r.finishedAt) - Date.parse(r.startedAt),
      steps: Object.fromEntries(Object.entries(r.steps).map(([k, s]) => [k, `${s!.status} ${Date.parse(s!.finishedAt) - Date.parse(s!.startedAt)} ms`])),
    })),
  }
}
const first = await timed(false)
const noop = await timed(false)
const noopSkipExtract = await timed(true)
await services.close()
await sandbox.close()
await rm(dir, { recursive: true, force: true })
console.log(
  JSON.stringify({ sources: first.runs.length, firstMs: first.ms, first: first.runs, noopMs: noop.ms, noop: noop.runs, noopSkipExtractMs: noopSkipExtract.ms }),
)
