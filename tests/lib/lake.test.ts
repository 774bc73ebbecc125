/** Lake mechanics: stamps, landing names that never overwrite, archive-on-change for curated files. */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Lake } from '../../lib/lake/lake.ts'
import { parseStamp, stamp } from '../../lib/lake/zones.ts'
import { tempDir } from '../helpers.ts'

describe('lake', () => {
  it('stamps are UTC YYYYMMDD_HHMMSS and parse back; impossible ones are rejected', () => {
    const d = new Date('2025-05-29T04:28:35.900Z')
    expect(stamp(d)).toBe('20250529_042835')
    expect(parseStamp('streams_stats_20250529_042835.html')?.toISOString()).toBe('2025-05-29T04:28:35.000Z')
    expect(parseStamp('meta_ads_dump_20250527_123754')?.toISOString()).toBe('2025-05-27T12:37:54.000Z')
    expect(parseStamp('x_20251332_000000.tsv')).toBeNull()
    expect(parseStamp('streams_stats.html')).toBeNull()
  })

  it('two different extracts in the same second both land; the same bytes land once', async () => {
    const lake = new Lake(await tempDir('lake-'))
    const at = new Date('2025-01-01T12:00:00Z')
    const a = await lake.land('toolost', 'analytics', 'toolost_spotify.json', '{"a":1}', at)
    const b = await lake.land('toolost', 'analytics', 'toolost_spotify.json', '{"a":2}', at)
    const again = await lake.land('toolost', 'analytics', 'toolost_spotify.json', '{"a":2}', at)
    expect(path.basename(a)).toBe('20250101_120000_toolost_spotify.json')
    expect(path.basename(b)).toBe('20250101_120000_toolost_spotify~2.json')
    expect(again).toBe(b)
    expect((await lake.list('landing', 'toolost')).map((f) => f.name)).toEqual([path.basename(a), path.basename(b)])
  })

  it('a curated file that changes is archived first; an unchanged one is left alone', async () => {
    const dir = await tempDir('lake-')
    const lake = new Lake(dir)
    const file = lake.curatedPath('x', 'data.csv')
    const put = async (text: string) => {
      const w = await lake.curatedWriter('x', 'data.csv')
      await w.write(text)
      return lake.replaceCurated('x', file, await w.finish())
    }
    expect(await put('a\n1\n')).toBe(true)
    expect(await put('a\n1\n')).toBe(false)
    expect(await put('a\n2\n')).toBe(true)
    const archived = await readdir(path.join(dir, '5_archive/x'))
    expect(archived).toHaveLength(1)
    expect(await readFile(path.join(dir, '5_archive/x', archived[0]), 'utf8')).toBe('a\n1\n')
    expect(await readFile(file, 'utf8')).toBe('a\n2\n')
    expect((await readdir(path.dirname(file))).filter((n) => n.includes('.tmp'))).toEqual([])
  })
})
