/**
 * npm run import -- <source> <file...> [--extracted-at ISO-8601]
 * Puts hand-exported files into landing (dataset by content; extraction time from the file's or its
 * folder's `YYYYMMDD_HHMMSS`, else --extracted-at, else its newest business day; never now), then runs
 * clean → load.
 */
import { z } from 'zod'
import { main, openRunner, parseCli, UsageError } from '../lib/cli.ts'
import { importFiles, readUploads } from '../lib/importer.ts'
import { exitCode } from '../lib/pipeline.ts'

const USAGE = 'npm run import -- <source> <file...> [--extracted-at 2025-05-01T00:00:00Z]'
const Args = z.object({
  positionals: z.array(z.string()).min(2, 'expected a source and at least one file'),
  'extracted-at': z.iso.datetime({ offset: true }).optional(),
})

main(async () => {
  const args = parseCli(USAGE, { 'extracted-at': { type: 'string' } }, Args)
  const [source, ...files] = args.positionals
  const runner = await openRunner()
  try {
    if (!runner.registry.sources.has(source)) throw new UsageError(`unknown source '${source}'\nusage: ${USAGE}`)
    const uploads = await readUploads(files).catch((err: Error) => {
      throw new UsageError(`cannot read input: ${err.message}`)
    })
    const at = args['extracted-at'] ? new Date(args['extracted-at']) : undefined
    const landed = await importFiles(runner.services, runner.registry, source, uploads, { extractedAt: at })
    const report = await runner.run({ source, skipExtract: true, trigger: 'import' })
    console.log(JSON.stringify({ landed: landed.map((l) => ({ file: l.file, dataset: l.dataset, extractedAt: l.extractedAt })), run: report }))
    return exitCode(report.status)
  } finally {
    await runner.services.close()
  }
})
