/**
 * Bad DistroKid input, each through the real import CLI: a precise message, the landing file kept
 * (where one landed), and nothing partial in raw, staging, curated or the warehouse.
 */
import { existsSync } from 'node:fs'
import { readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { signinPage } from '../../functions/distrokid/fake-pages.ts'
import { ledgerLines, ledgerTsv } from '../../functions/distrokid/fake-data.ts'
import { envFor, lastJson, runCli, tempDir } from '../helpers.ts'
import { openWarehouse } from '../../lib/warehouse/db.ts'

async function files(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && !e.name.startsWith('_') && !e.name.startsWith('.')) out.push(e.name)
  }
  return out
}

async function importOne(name: string, content: string | Buffer) {
  const dir = await tempDir('dk-bad-')
  const env = envFor(dir)
  const file = path.join(dir, name)
  await writeFile(file, content)
  const r = await runCli('import', ['distrokid', file], env)
  const lake = env.BEDROT_DATA_DIR
  const wh = await openWarehouse(path.join(lake, 'warehouse.sqlite'))
  const facts = wh.sqlite.prepare('select (select count(*) from revenue_lines) + (select count(*) from streams_daily) n').get() as { n: number }
  const quarantine = wh.sqlite.prepare('select reason from quarantine').all() as { reason: string }[]
  await wh.close()
  return {
    r,
    landing: await files(path.join(lake, '1_landing')),
    downstream: [...(await files(path.join(lake, '2_raw'))), ...(await files(path.join(lake, '3_staging'))), ...(await files(path.join(lake, '4_curated')))],
    facts: facts.n,
    quarantine: quarantine.map((q) => q.reason),
  }
}

const good = ledgerTsv([...ledgerLines(20, 9, { lastMonth: '2025-03' })])

describe('bad DistroKid input', () => {
  it('the sign-in page saved as data is refused, not read as zero streams', async () => {
    const { r, landing, downstream, facts, quarantine } = await importOne('applemusic_stats_20250601_120000.html', signinPage())
    expect(r.code).toBe(1)
    expect(lastJson(r.stdout).run.message).toContain(
      "this is DistroKid's sign-in page (the session had expired when it was saved), not stats data (kept in landing)",
    )
    expect(landing).toEqual(['20250601_120000_applemusic_stats_20250601_120000.html'])
    expect(downstream.filter((f) => f !== 'tidy_daily_streams.csv')).toEqual([])
    expect(facts).toBe(0)
    expect(quarantine[0]).toMatch(/^file refused: this is DistroKid's sign-in page/)
  })

  it('a truncated ledger (last record cut off) is refused whole', async () => {
    const cut = good.slice(0, good.lastIndexOf('\t', good.length - 30))
    const { r, landing, downstream, facts } = await importOne('dk_bank_details_20250601_120000.tsv', cut)
    expect(r.code).toBe(1)
    expect(lastJson(r.stdout).run.message).toMatch(/truncated: the file ends with "\d", not with the final record terminator \(CR\)/)
    expect(landing).toHaveLength(1)
    expect(downstream.filter((f) => f !== 'tidy_daily_streams.csv')).toEqual([])
    expect(facts).toBe(0)
  })

  it('a ledger header missing a required column is refused with the column named', async () => {
    const renamed = good.replace('\tStore\t', '\tShop\t')
    // Stamped: it lands, and the cleaner refuses it (kept in landing).
    const stamped = await importOne('dk_bank_details_20250601_120000.tsv', renamed)
    expect(stamped.r.code).toBe(1)
    expect(lastJson(stamped.r.stdout).run.message).toContain('unknown ledger header: missing column(s) "Store"')
    expect(stamped.landing).toHaveLength(1)
    expect(stamped.facts).toBe(0)
    // Unstamped: its time would come from its content, which cannot be read, so the import refuses it
    // with the same reason and nothing lands.
    const unstamped = await importOne('dk_bank_details.tsv', renamed)
    expect(unstamped.r.code).toBe(1)
    expect(unstamped.r.stderr).toContain('cannot import')
    expect(unstamped.r.stderr).toContain('unknown ledger header: missing column(s) "Store"')
    expect(unstamped.landing).toEqual([])
    expect(unstamped.facts).toBe(0)
  })

  it('a file that is no DistroKid export at all, an empty file and a binary file never land', async () => {
    for (const [name, content, reason] of [
      ['notes.tsv', 'Date\tAmount\r2025-01-01\t5\r', 'its content matches no known export of this source'],
      ['dk_bank_details.tsv', '', 'the file is empty'],
      ['dk_bank_details.tsv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x08, 0]), 'binary content (NUL bytes), not a text export'],
    ] as const) {
      const { r, landing, facts } = await importOne(name, content)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`cannot import`)
      expect(r.stderr).toContain(reason)
      expect(landing).toEqual([])
      expect(facts).toBe(0)
    }
  })

  it('a bad row mid-file is quarantined with its reason; the good rows load', async () => {
    const rows = good.split('\r')
    rows[5] = rows[5].replace(/\t\d+\t100\t/, '\tlots\t100\t')
    const { r, facts, quarantine } = await importOne('dk_bank_details.tsv', rows.join('\r'))
    expect(r.code).toBe(0)
    expect(facts).toBe(19)
    expect(quarantine).toEqual(['Quantity "lots" is not an integer'])
    expect(lastJson(r.stdout).run.message).toContain('1 rows quarantined')
  })
})
