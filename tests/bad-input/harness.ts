/**
 * One bad-input case through the real runner: a good extract is loaded first, then the bad file lands
 * beside it (as an extractor or an import would land it) and the source runs again without extracting.
 * What comes back is everything a case asserts on: the run, the landing files, what the bad file left
 * in raw/staging, the quarantine, and whether curated files and the warehouse changed.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { RunReport } from '../../lib/pipeline.ts'
import { makeSystem } from '../helpers.ts'

export interface LandedFile {
  dataset: string
  name: string
  content: string | Buffer
  extractedAt: string
}

export interface CaseResult {
  report: RunReport
  landing: string[]
  /** Raw and staging files made from the bad file. */
  downstreamOfBad: string[]
  quarantine: string[]
  curatedChanged: boolean
  warehouseChanged: boolean
  /** Warehouse rows after the run (the table the source loads). */
  rows: Record<string, unknown>[]
}

async function files(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) out.push(path.join(e.parentPath, e.name))
  return out.sort()
}

async function checksums(dir: string): Promise<string> {
  const h = createHash('sha256')
  for (const f of await files(dir)) h.update(`${path.relative(dir, f)}\0`).update(await readFile(f))
  return h.digest('hex')
}

export async function runBadInput(
  source: string,
  table: 'streams_daily' | 'spotify_audience_daily' | 'social_daily' | 'youtube_daily' | 'email_daily',
  good: LandedFile,
  bad: LandedFile,
): Promise<CaseResult> {
  const sys = await makeSystem()
  try {
    const land = (f: LandedFile) =>
      sys.services.lake.land(source, f.dataset, f.name, typeof f.content === 'string' ? f.content : new Uint8Array(f.content), new Date(f.extractedAt))
    const rowsNow = async () => {
      const rows = (await sys.services.wh.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[]
      return rows.map((r) => JSON.stringify(r)).sort()
    }
    await land(good)
    const first = await sys.runner.run({ source, skipExtract: true, trigger: 'cli' })
    if (first.status !== 'ok') throw new Error(`the good extract did not load: ${first.message}`)
    const curatedBefore = await checksums(path.join(sys.config.dataDir, '4_curated'))
    const rowsBefore = await rowsNow()
    const badPath = await land(bad)
    const report = await sys.runner.run({ source, skipExtract: true, trigger: 'cli' })
    const stem = path.basename(badPath).replace(/\.[^.]+$/, '')
    const downstream = [...(await files(sys.services.lake.dir('raw', source))), ...(await files(sys.services.lake.dir('staging', source)))]
    const quarantine = await sys.services.wh.db.selectFrom('quarantine').select('reason').orderBy('id').execute()
    const rowsAfter = await rowsNow()
    return {
      report,
      landing: (await files(sys.services.lake.dir('landing', source))).map((f) => path.basename(f)),
      downstreamOfBad: downstream.filter((f) => path.basename(f).startsWith(stem)).map((f) => path.basename(f)),
      quarantine: quarantine.map((q) => q.reason),
      curatedChanged: (await checksums(path.join(sys.config.dataDir, '4_curated'))) !== curatedBefore,
      warehouseChanged: JSON.stringify(rowsAfter) !== JSON.stringify(rowsBefore),
      rows: (await sys.services.wh.db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[],
    }
  } finally {
    await sys.close()
  }
}
