/**
 * npm run kpi -- <name> [--from YYYY-MM-DD --to YYYY-MM-DD | --days N|all] — prints the KPI's JSON
 * envelope on stdout (for scripts) and one plain line for a person on stderr.
 */
import { z } from 'zod'
import { EXIT, main, openRunner, parseCli, UsageError } from '../lib/cli.ts'
import { summarize } from '../lib/kpi/summary.ts'
import { KpiQuery, todayIn } from '../lib/kpi/window.ts'

const USAGE = 'npm run kpi -- <name> [--from YYYY-MM-DD --to YYYY-MM-DD | --days N|all]'
const Args = z.object({
  positionals: z.array(z.string()).length(1, 'expected one KPI name'),
  from: z.string().optional(),
  to: z.string().optional(),
  days: z.string().optional(),
})

main(async () => {
  const args = parseCli(USAGE, { from: { type: 'string' }, to: { type: 'string' }, days: { type: 'string' } }, Args)
  const query = KpiQuery.safeParse({ from: args.from, to: args.to, days: args.days })
  if (!query.success) throw new UsageError(`${query.error.issues[0].path.join('.')}: ${query.error.issues[0].message}\nusage: ${USAGE}`)
  const runner = await openRunner()
  try {
    const def = runner.registry.kpis.get(args.positionals[0])
    if (!def) throw new UsageError(`unknown KPI '${args.positionals[0]}'; known: ${[...runner.registry.kpis.keys()].join(', ')}`)
    const { services } = runner
    const envelope = await def.evaluate(
      { db: services.wh.db, today: todayIn(services.config.timezone), sources: services.sources, sessions: () => runner.sessionStatuses() },
      query.data,
    )
    console.error(summarize(envelope))
    console.log(JSON.stringify(envelope, null, 2))
    return EXIT.ok
  } finally {
    await runner.services.close()
  }
})
