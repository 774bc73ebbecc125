/**
 * The Linktree cleaner on hand-made answers: classification by payload keys whatever the file name, an
 * error answer refused and kept in landing, totals without an overview captured with them left out
 * (not guessed), and overlapping captures where the latest wins per day and per window.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { linksAnswer, overviewAnswer, fakeDay, datesBetween } from '../../functions/linktree/fake-data.ts'
import { payloadKind } from '../../functions/linktree/payloads.ts'
import { importFiles } from '../../lib/importer.ts'
import { makeSystem } from '../helpers.ts'

let sys: Awaited<ReturnType<typeof makeSystem>>
beforeEach(async () => {
  sys = await makeSystem()
})
afterEach(async () => sys.close())

const LINKS = [{ id: 11, title: 'A', active: true, weight: 2 }]
async function capture(stamp: string, answers: unknown[]) {
  const files = []
  for (const [i, a] of answers.entries()) {
    const f = path.join(sys.dir, `${stamp}_capture_${i}.json`)
    await writeFile(f, typeof a === 'string' ? a : JSON.stringify(a))
    files.push({ name: f, path: f })
  }
  await importFiles(sys.services, sys.runner.registry, 'linktree', files)
  return sys.runner.run({ source: 'linktree', trigger: 'cli', skipExtract: true })
}
const days = (from: string, to: string, rev = 0) => datesBetween(from, to).map((d) => fakeDay(d, 10, rev))

describe('Linktree cleaner', () => {
  it('classifies by payload keys, never by name', () => {
    expect(payloadKind(overviewAnswer(days('2025-01-01', '2025-01-02')))).toBe('overview')
    expect(payloadKind(linksAnswer(days('2025-01-01', '2025-01-02'), LINKS, ['instagram'], 10))).toBe('links')
    expect(payloadKind({ data: { link11: { id: 11, title: 'A', active: true } } })).toBe('link_titles')
    expect(payloadKind({ data: { currentUser: { username: 'x' } } })).toBe('other')
    expect(payloadKind({ errors: [{ message: 'Unauthorized' }], data: null })).toBe('errors')
  })

  it('an error answer is refused and stays in landing; the good answers of the capture still load', async () => {
    const report = await capture('20250601_100000', [
      overviewAnswer(days('2025-05-01', '2025-05-31')),
      { errors: [{ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } }], data: null },
    ])
    expect(report.steps.clean!.status).toBe('failed')
    expect(report.steps.clean!.message).toMatch(/refused .*capture_1\.json: a GraphQL error answer, not data: Unauthorized \(kept in landing\)/)
    expect(await sys.services.wh.db.selectFrom('link_daily').selectAll().execute()).toHaveLength(31)
  })

  it('totals with no overview captured near them are left out and said so; overlapping captures: the latest wins', async () => {
    const lonely = await capture('20250601_100000', [linksAnswer([], LINKS, [], 10)])
    expect(lonely.steps.clean!.message).toMatch(/1 totals left out: no overview answer captured with them gives their window/)
    const may = days('2025-05-01', '2025-05-31')
    await capture('20250601_110000', [overviewAnswer(may), linksAnswer(may, LINKS, ['instagram'], 10)])
    const june = days('2025-05-15', '2025-06-14', 1)
    await capture('20250615_110000', [overviewAnswer(june), linksAnswer(june, LINKS, ['instagram'], 10)])
    const rows = await sys.services.wh.db.selectFrom('link_daily').selectAll().orderBy('date').execute()
    expect(rows.map((r) => r.date)).toEqual(datesBetween('2025-05-01', '2025-06-14'))
    for (const d of june) expect(rows.find((r) => r.date === d.date)!.views).toBe(d.totalViews)
    for (const d of may.slice(0, 14)) expect(rows.find((r) => r.date === d.date)!.views).toBe(d.totalViews)
    const windows = await sys.services.wh.db.selectFrom('link_totals').select(['window_from', 'window_to']).distinct().orderBy('window_from').execute()
    expect(windows).toEqual([
      { window_from: '2025-05-01', window_to: '2025-05-31' },
      { window_from: '2025-05-15', window_to: '2025-06-14' },
    ])
  })
})
