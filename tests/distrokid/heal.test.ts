/**
 * Curated heals itself: a crash after promotion but before curation (staging has the new export,
 * curated and the warehouse do not) is repaired by the next normal run, because each curated output
 * records which staging inputs built it.
 */
import { readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { promoteLedger } from '../../functions/distrokid/clean-ledger.ts'
import { promoteLanding } from '../../lib/lake/promote.ts'
import { manifestPath } from '../../lib/lake/manifest.ts'
import { streamsPage } from '../../functions/distrokid/fake-pages.ts'
import { dailySeries, ledgerLines, ledgerTsv } from '../../functions/distrokid/fake-data.ts'
import { makeSystem } from '../helpers.ts'

type System = Awaited<ReturnType<typeof makeSystem>>
let sys: System | null = null
afterEach(async () => {
  await sys?.close()
  sys = null
})

const run = (s: System) => s.runner.run({ source: 'distrokid', skipExtract: true, trigger: 'cli' })
const ledgerTotal = (s: System) =>
  s.services.wh.sqlite.prepare('select count(*) n, coalesce(sum(earnings_e8), 0) e8 from revenue_lines').get() as { n: number; e8: number }

describe('curated heals itself', () => {
  it('a crash between promotion and curation is healed by the next run', async () => {
    sys = await makeSystem()
    const a = [...ledgerLines(120, 31, { lastMonth: '2025-03' })]
    const b = a.filter((_, i) => i % 7 !== 3).map((l, i) => (i % 9 === 0 ? { ...l, earningsE8: l.earningsE8 + 5 } : l))
    await sys.services.lake.land('distrokid', 'bank', 'dk_bank_details.tsv', ledgerTsv(a), new Date('2025-04-01T00:00:00Z'))
    expect((await run(sys)).status).toBe('ok')
    // The next export is promoted, then the process dies before curating: staging and the hash ledger
    // know it, curated does not.
    await sys.services.lake.land('distrokid', 'bank', 'dk_bank_details.tsv', ledgerTsv(b), new Date('2025-05-01T00:00:00Z'))
    const ctx = { ...sys.services, runId: 'crashed', now: new Date(), log: sys.services.log } as unknown as Parameters<typeof promoteLanding>[0]
    const promoted = await promoteLanding(ctx, 'distrokid', promoteLedger)
    expect(promoted.filesOut).toBe(1)
    expect(ledgerTotal(sys).n).toBe(a.length)

    const healed = await run(sys)
    expect(healed.status, healed.message).toBe('ok')
    expect(healed.steps.clean?.message).toContain('rebuilt curated ledger (staging had changed since it was built)')
    expect(ledgerTotal(sys)).toEqual({ n: b.length, e8: b.reduce((s, l) => s + l.earningsE8, 0) })
    // Healed once: the run after that has nothing to do.
    expect((await run(sys)).steps.clean?.status).toBe('skipped')
  })

  it('a lost or stale manifest, or a deleted curated file, rebuilds curated and tidy streams', async () => {
    sys = await makeSystem()
    const lines = [...ledgerLines(50, 32, { lastMonth: '2025-03' })]
    const days = dailySeries('2025-04-01', '2025-04-30', 5)
    await sys.services.lake.land('distrokid', 'bank', 'dk_bank_details.tsv', ledgerTsv(lines), new Date('2025-04-01T00:00:00Z'))
    await sys.services.lake.land('distrokid', 'stats', 'streams_stats.html', streamsPage(days), new Date('2025-05-01T00:00:00Z'))
    expect((await run(sys)).status).toBe('ok')
    const curated = path.join(sys.config.dataDir, '4_curated')
    const bank = path.join(curated, 'distrokid/dk_bank_details.csv')
    const tidy = path.join(curated, 'tidy_daily_streams.csv')
    const before = [await readFile(bank, 'utf8'), await readFile(tidy, 'utf8')]

    await rm(bank)
    await writeFile(manifestPath(tidy, 'distrokid'), '{"recipe":"old","inputs":[]}')
    const healed = await run(sys)
    expect(healed.steps.clean?.message).toContain('rebuilt curated tidy daily streams and ledger')
    expect([await readFile(bank, 'utf8'), await readFile(tidy, 'utf8')]).toEqual(before)
    expect(ledgerTotal(sys).n).toBe(lines.length)
    const streams = sys.services.wh.sqlite.prepare('select count(*) n from streams_daily').get() as { n: number }
    expect(streams.n).toBe(days.length)
  })
})
