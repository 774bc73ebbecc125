/**
 * npm run pipeline -- <source>|all [--skip-extract] [--mode automated|interactive] [--from YYYY-MM-DD --to YYYY-MM-DD]
 * Runs extract → clean → load in-process (the same runner as HTTP and cron) and prints the reports.
 */
import { z } from 'zod'
import { EXIT, main, openRunner, parseCli, UsageError } from '../lib/cli.ts'
import { exitCode, type RunReport } from '../lib/pipeline.ts'
import { offerLogin } from '../lib/credentials/interactive.ts'

const USAGE = 'npm run pipeline -- <source>|all [--skip-extract] [--mode automated|interactive] [--from YYYY-MM-DD --to YYYY-MM-DD]'
const isoDate = z.iso.date()
const Args = z.object({
  positionals: z.array(z.string()).length(1, 'expected exactly one source (or "all")'),
  'skip-extract': z.boolean().default(false),
  mode: z.enum(['automated', 'interactive']).default('automated'),
  from: isoDate.optional(),
  to: isoDate.optional(),
})

main(async () => {
  const args = parseCli(USAGE, { 'skip-extract': { type: 'boolean' }, mode: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }, Args)
  const runner = await openRunner()
  try {
    const [target] = args.positionals
    if (target !== 'all' && !runner.registry.sources.has(target)) {
      throw new UsageError(`unknown source '${target}'; known: ${[...runner.registry.sources.keys()].join(', ')}\nusage: ${USAGE}`)
    }
    const sources = target === 'all' ? [...runner.registry.sources.keys()] : [target]
    const base = { mode: args.mode, skipExtract: args['skip-extract'], window: { from: args.from, to: args.to }, trigger: 'cli' as const }
    const reports: RunReport[] = []
    for (const source of sources) {
      if (args.mode === 'interactive' && !args['skip-extract']) await offerLogin(runner, source)
      reports.push(await runner.run({ ...base, source }))
    }
    for (const r of reports) console.log(JSON.stringify(r))
    const codes = reports.map((r) => exitCode(r.status))
    return codes.includes(EXIT.failed) ? EXIT.failed : codes.includes(EXIT.needsAuth) ? EXIT.needsAuth : EXIT.ok
  } finally {
    await runner.services.close()
  }
})
