/**
 * npm run rebuild -- <source>|all
 * Re-promotes everything in landing with the current code (landing untouched, old curated archived) and
 * replaces each source's warehouse rows in one transaction. Prints one JSON report per source.
 */
import { z } from 'zod'
import { EXIT, main, openRunner, parseCli, UsageError } from '../lib/cli.ts'
import { exitCode, type RunReport } from '../lib/pipeline.ts'

const USAGE = 'npm run rebuild -- <source>|all'
const Args = z.object({ positionals: z.array(z.string()).length(1, 'expected exactly one source (or "all")') })

main(async () => {
  const args = parseCli(USAGE, {}, Args)
  const runner = await openRunner()
  try {
    const [target] = args.positionals
    if (target !== 'all' && !runner.registry.sources.has(target)) {
      throw new UsageError(`unknown source '${target}'; known: ${[...runner.registry.sources.keys()].join(', ')}\nusage: ${USAGE}`)
    }
    const sources = target === 'all' ? [...runner.registry.sources.keys()] : [target]
    const reports: RunReport[] = await runner.runAll({ trigger: 'rebuild', rebuild: true, skipExtract: true }, sources)
    for (const r of reports) console.log(JSON.stringify(r))
    if (reports.some((r) => r.outcome === 'busy')) return EXIT.failed
    const codes = reports.map((r) => exitCode(r.status))
    return codes.includes(EXIT.failed) ? EXIT.failed : codes.includes(EXIT.needsAuth) ? EXIT.needsAuth : EXIT.ok
  } finally {
    await runner.services.close()
  }
})
