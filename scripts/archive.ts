/**
 * npm run archive -- --prune [--yes] [--years N]
 * Lists the archived versions older than the retention (7 years) and, with --yes, deletes them.
 * Without --yes it is a dry run: nothing is touched.
 */
import { z } from 'zod'
import { EXIT, main, parseCli, UsageError } from '../lib/cli.ts'
import { loadConfig } from '../lib/config.ts'
import { Lake } from '../lib/lake/lake.ts'
import { pruneArchive, RETENTION_YEARS } from '../lib/lake/retention.ts'

const USAGE = 'npm run archive -- --prune [--yes] [--years N]'
const Args = z.object({
  positionals: z.array(z.string()).max(0),
  prune: z.boolean().default(false),
  yes: z.boolean().default(false),
  years: z.coerce.number().int().min(1).max(100).default(RETENTION_YEARS),
})

main(async () => {
  const args = parseCli(USAGE, { prune: { type: 'boolean' }, yes: { type: 'boolean' }, years: { type: 'string' } }, Args)
  if (!args.prune) throw new UsageError(`nothing to do: add --prune\nusage: ${USAGE}`)
  const config = loadConfig()
  const r = await pruneArchive(new Lake(config.dataDir), { years: args.years, delete: args.yes })
  const mb = (r.expired.reduce((s, e) => s + e.bytes, 0) / 1e6).toFixed(1)
  for (const e of r.expired) console.log(`${r.deleted ? 'deleted' : 'would delete'}  ${e.archivedAt.slice(0, 10)}  ${e.file}`)
  const what = `${r.expired.length} archived version${r.expired.length === 1 ? '' : 's'} (${mb} MB) older than ${args.years} years (before ${r.cutoff.slice(0, 10)})`
  console.log(r.deleted ? `deleted ${what}; ${r.kept} kept` : `dry run: ${what} would be deleted; ${r.kept} kept. Add --yes to delete.`)
  return EXIT.ok
})
