/**
 * Bench child: runs DistroKid clean → load on whatever is in landing (the bench put one ledger there)
 * and prints the wall time and this process's peak RSS. A separate process, so peak RSS is ours alone.
 */
import { loadConfig } from '../../lib/config.ts'
import { openServices } from '../../lib/context.ts'
import { Runner } from '../../lib/pipeline.ts'
import { loadRegistry } from '../../lib/registry.ts'

const services = await openServices(loadConfig())
const runner = new Runner(services, await loadRegistry())
const t0 = performance.now()
const report = await runner.run({ source: 'distrokid', skipExtract: true, trigger: 'cli' })
const ms = performance.now() - t0
const rows = services.wh.sqlite.prepare('select count(*) n from revenue_lines').get() as { n: number }
await services.close()
const cpu = process.cpuUsage()
console.log(
  JSON.stringify({
    ms,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    maxRssKb: process.resourceUsage().maxRSS,
    status: report.status,
    message: report.message,
    rows: rows.n,
    steps: Object.fromEntries(Object.entries(report.steps).map(([k, s]) => [k, Date.parse(s!.finishedAt) - Date.parse(s!.startedAt)])),
  }),
)
