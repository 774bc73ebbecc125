/**
 * @module The extraction time of a DistroKid file whose name carries no stamp (`streams_stats.html`):
 * the end of its newest business day, never "now" — an old page stamped now would overwrite the later
 * restatements of every day it shows.
 */
import { readFile } from 'node:fs/promises'
import type { ContentInput } from '../../lib/define.ts'
import { indexHeader } from './ledger.ts'
import { parseStatsPage } from './stats-page.ts'

const DATE = /^\d{4}-\d{2}-\d{2}$/

const endOfDay = (date: string) => new Date(`${date}T23:59:59Z`)

async function text(input: ContentInput): Promise<string> {
  if (input.bytes) return Buffer.from(input.bytes).toString('utf8')
  return readFile(input.path!, 'utf8')
}

/** Newest business date in the file, end of that day (UTC); null when it carries none. */
export async function contentExtractedAt(dataset: string, input: ContentInput): Promise<Date | null> {
  const content = await text(input)
  let newest = ''
  if (dataset === 'stats') {
    // A sign-in page or a broken page throws its RefusedFile reason here, which the import reports.
    for (const p of parseStatsPage(content).points) if (p.date > newest) newest = p.date
  } else if (dataset === 'bank') {
    const [header, ...records] = content.split(/\r\n|\r|\n/)
    const at = indexHeader(header).reportingDate
    for (const r of records) {
      const d = r.split('\t', at + 1)[at]
      if (d && DATE.test(d) && d > newest) newest = d
    }
  }
  return newest ? endOfDay(newest) : null
}
