/**
 * Bad-input harness through the import path (harness.ts instead lands a bad file beside a good
 * extract): a file goes through the real import path (classification, landing, clean, load) in a fresh system, and the result says what a
 * person would check — the message, what stayed in landing, what reached raw/staging/curated, the
 * warehouse facts and the quarantine.
 */
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { importFiles } from '../../lib/importer.ts'
import { makeSystem } from '../helpers.ts'

export interface BadInputOutcome {
  /** The import's refusal (nothing landed), or null when the file landed. */
  importError: string | null
  status: string | null
  message: string
  landing: string[]
  downstream: string[]
  facts: Record<string, number>
  quarantine: string[]
  /** Σ of the `sum` column (`table.column`), when asked for. */
  sum: number | null
}

async function files(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && !e.name.startsWith('_') && !e.name.startsWith('.')) out.push(e.name)
  }
  return out.sort()
}

export async function importBad(
  source: string,
  name: string,
  content: string | Uint8Array,
  factTables: string[],
  opts: { extractedAt?: Date; now?: Date; sum?: string } = {},
): Promise<BadInputOutcome> {
  const sys = await makeSystem()
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
    let importError: string | null = null
    let status: string | null = null
    let message = ''
    try {
      await importFiles(sys.services, sys.runner.registry, source, [{ name, bytes }], { extractedAt: opts.extractedAt, now: opts.now })
      const report = await sys.runner.run({ source, skipExtract: true, trigger: 'import' })
      status = report.status
      message = report.message ?? ''
    } catch (err) {
      importError = err instanceof Error ? err.message : String(err)
    }
    const lake = sys.config.dataDir
    const db = sys.services.wh.sqlite
    const facts = Object.fromEntries(factTables.map((t) => [t, (db.prepare(`select count(*) n from ${t}`).get() as { n: number }).n]))
    const [sumTable, sumColumn] = opts.sum?.split('.') ?? []
    const sum = opts.sum ? (db.prepare(`select coalesce(sum(${sumColumn}), 0) s from ${sumTable}`).get() as { s: number }).s : null
    const quarantine = (db.prepare('select reason from quarantine order by id').all() as { reason: string }[]).map((q) => q.reason)
    return {
      importError,
      status,
      message,
      landing: await files(path.join(lake, '1_landing')),
      downstream: [...(await files(path.join(lake, '2_raw'))), ...(await files(path.join(lake, '3_staging'))), ...(await files(path.join(lake, '4_curated')))],
      facts,
      quarantine,
      sum,
    }
  } finally {
    await sys.close()
  }
}
