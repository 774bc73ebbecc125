/**
 * Retention: archived versions are kept 7 years, then `npm run archive -- --prune` lists them (dry run,
 * nothing touched) and with --yes deletes exactly those.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { stamp } from '../../lib/lake/zones.ts'
import { yearsBefore } from '../../lib/lake/retention.ts'
import { envFor, runCli, tempDir } from '../helpers.ts'

const DAY = 86_400_000

describe('npm run archive -- --prune', () => {
  it('is a dry run by default and deletes only versions older than 7 years with --yes', async () => {
    const env = envFor(await tempDir('archive-'))
    const dir = path.join(env.BEDROT_DATA_DIR, '5_archive/distrokid')
    await mkdir(dir, { recursive: true })
    const cutoff = yearsBefore(new Date(), 7).getTime()
    const old = `${stamp(new Date(cutoff - 2 * DAY))}_dk_ledger_curated.csv`
    const older = `${stamp(new Date(cutoff - 400 * DAY))}_dk_ledger_curated.csv`
    const young = `${stamp(new Date(cutoff + 2 * DAY))}_dk_ledger_curated.csv`
    for (const n of [old, older, young]) await writeFile(path.join(dir, n), 'isrc,amount\n')

    const dry = await runCli('archive', ['--prune'], env)
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain(`would delete  ${new Date(cutoff - 400 * DAY).toISOString().slice(0, 10)}  distrokid/${older}`)
    expect(dry.stdout).toMatch(/dry run: 2 archived versions \(0\.0 MB\) older than 7 years .* would be deleted; 1 kept\. Add --yes to delete\./)
    expect((await readdir(dir)).sort()).toEqual([old, older, young].sort())

    const real = await runCli('archive', ['--prune', '--yes'], env)
    expect(real.code, real.stderr).toBe(0)
    expect(real.stdout).toContain('deleted 2 archived versions')
    expect(await readdir(dir)).toEqual([young])

    const nothing = await runCli('archive', [], env)
    expect(nothing.code).toBe(2)
    expect(nothing.stderr).toContain('add --prune')
  }, 240_000)

  it('seven years back from 29 February is 28 February', () => {
    expect(yearsBefore(new Date('2028-02-29T12:00:00Z'), 7).toISOString()).toBe('2021-02-28T12:00:00.000Z')
  })
})
