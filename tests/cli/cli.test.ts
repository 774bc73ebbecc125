/** The CLIs as a person or a cron script runs them: usage errors, session listing, import stamps. */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ledgerLines, ledgerTsv } from '../../functions/distrokid/fake-data.ts'
import { storeDistroKidSession } from '../distrokid/session.ts'
import { envFor, lastJson, runCli, tempDir } from '../helpers.ts'

describe('CLI', () => {
  it('bad usage exits 2 and says what is wrong', async () => {
    const env = envFor(await tempDir('cli-'))
    const unknown = await runCli('pipeline', ['nosuchsource'], env)
    expect(unknown.code).toBe(2)
    // Every declared source is named (the list grows as sources are added).
    expect(unknown.stderr).toMatch(/unknown source 'nosuchsource'; known: distrokid(, \w+)*, spotify(, \w+)*, toolost\b/)
    const badDate = await runCli('pipeline', ['distrokid', '--from', '2025-02-30'], env)
    expect(badDate.code).toBe(2)
    expect(badDate.stderr).toMatch(/^from: /)
    const badKpi = await runCli('kpi', ['streams-total', '--days', 'forever'], env)
    expect(badKpi.code).toBe(2)
    const badEnv = await runCli('kpi', ['streams-total'], { ...env, PORT: 'eighty' })
    expect(badEnv.code).toBe(2)
    expect(badEnv.stderr).toContain('PORT: ')
  })

  it('auth --status lists every account of every source that logs in, never a secret; exit 3 while some are missing', async () => {
    const env = envFor(await tempDir('cli-'))
    await storeDistroKidSession(env.BEDROT_SESSIONS_DIR, 'http://127.0.0.1:1', 'fake-session-secret-value')
    const r = await runCli('auth', ['--status'], env)
    expect(r.code).toBe(3)
    const lines = r.stdout.trim().split('\n')
    const names = lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))
    expect(names).toEqual(expect.arrayContaining(['distrokid default', 'toolost default', 'spotify ZONE', 'spotify PIG1987']))
    expect(lines[names.indexOf('distrokid default')]).toMatch(/valid +\(29 days left/)
    expect(lines[names.indexOf('toolost default')]).toMatch(/missing +→ npm run auth -- toolost$/)
    expect(r.stdout + r.stderr).not.toContain('fake-session-secret-value')
  })

  it('import takes the extraction time from the file name, else its folder name, else --extracted-at', async () => {
    const dir = await tempDir('cli-')
    const env = envFor(dir)
    const folder = path.join(dir, 'export_20250601_101010')
    await mkdir(folder)
    const inFolder = path.join(folder, 'ledger.tsv')
    const named = path.join(dir, 'dk_bank_details_20250702_070707.tsv')
    const plain = path.join(dir, 'plain.tsv')
    await writeFile(inFolder, ledgerTsv([...ledgerLines(3, 1)]))
    await writeFile(named, ledgerTsv([...ledgerLines(3, 2)]))
    await writeFile(plain, ledgerTsv([...ledgerLines(3, 3)]))
    const r = await runCli('import', ['distrokid', inFolder, named, plain, '--extracted-at', '2024-12-31T23:00:00Z'], env)
    expect(r.code, r.stderr).toBe(0)
    expect(lastJson(r.stdout).landed.map((l: any) => [l.dataset, l.extractedAt])).toEqual([
      ['bank', '2025-06-01T10:10:10.000Z'],
      ['bank', '2025-07-02T07:07:07.000Z'],
      ['bank', '2024-12-31T23:00:00.000Z'],
    ])
  })
})
