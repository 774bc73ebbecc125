/**
 * The Audience page's CSV download imported by hand, through the real CLIs (import → clean → load →
 * KPI): artist from the file name, thousands separators, bad rows quarantined, newest export wins.
 */
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { envFor, lastJson, runCli, tempDir } from '../helpers.ts'

const ZONE = '62owJQCD2XzVB2o19CVsFM'
let dir: string
let env: Record<string, string>

async function csv(name: string, text: string) {
  const file = path.join(dir, name)
  await writeFile(file, text)
  return file
}

describe('S4A audience CSV import', () => {
  beforeAll(async () => {
    dir = await tempDir('spotify-import-')
    env = envFor(dir)
  })

  it('imports both artists, quarantines bad rows, keeps empty cells empty', async () => {
    const zone = await csv(
      `spotify_audience_${ZONE}_20250601_080000.csv`,
      'date,listeners,streams,followers\n2025-05-01,"1,200",3400,500\n2025-05-02,1300,3500,510\n2025-05-03,n/a,3600,515\n2025-13-01,1,2,3\n2025-05-04,,3700,520\n',
    )
    const pig = await csv(
      'spotify_audience_pig1987_20250601_090000.csv',
      '\uFEFFdate,listeners,streams,followers\r\n2025-05-03,40,90,70\r\n2025-05-04,41,95,71\r\n',
    )
    const r = await runCli('import', ['spotify', zone, pig], env)
    expect(r.code, r.stderr + r.stdout).toBe(0)
    const out = lastJson(r.stdout)
    expect(out.landed.map((l: any) => [l.dataset, l.extractedAt])).toEqual([
      ['audience_csv', '2025-06-01T08:00:00.000Z'],
      ['audience_csv', '2025-06-01T09:00:00.000Z'],
    ])
    expect(out.run.steps.clean).toMatchObject({ status: 'ok', rowsQuarantined: 2, severity: 'medium' })

    const curated = await readFile(path.join(env.BEDROT_DATA_DIR, '4_curated/spotify/spotify_audience_curated.csv'), 'utf8')
    const lines = curated
      .trim()
      .split('\n')
      .map((l) => l.split(',').slice(0, 6).join(','))
    expect(lines).toEqual([
      'date,artist,artist_id,listeners,streams,followers',
      `2025-05-01,ZONE A0,${ZONE},1200,3400,500`,
      `2025-05-02,ZONE A0,${ZONE},1300,3500,510`,
      '2025-05-03,PIG1987,1Eu67EqPy2NutiM0lqCarw,40,90,70',
      '2025-05-04,PIG1987,1Eu67EqPy2NutiM0lqCarw,41,95,71',
      `2025-05-04,ZONE A0,${ZONE},,3700,520`,
    ])
    const k = lastJson((await runCli('kpi', ['spotify-streams', '--days', 'all'], env)).stdout)
    expect(k.value).toBe(3400 + 3500 + 3700 + 90 + 95)
  })

  it('lets a newer export restate a day, and refuses a file that names no artist', async () => {
    const newer = await csv(`spotify_audience_${ZONE}_20250602_080000.csv`, 'date,listeners,streams,followers\n2025-05-02,1350,3550,511\n')
    expect((await runCli('import', ['spotify', newer], env)).code).toBe(0)
    const k = lastJson((await runCli('kpi', ['spotify-listeners', '--from', '2025-05-01', '--to', '2025-05-02'], env)).stdout)
    expect(k.breakdown).toEqual([{ key: 'ZONE A0', value: 1350, date: '2025-05-02' }])

    const anonymous = await csv('audience_export.csv', 'date,listeners,streams,followers\n2025-05-05,1,2,3\n')
    const refused = await runCli('import', ['spotify', anonymous], env)
    expect(refused.code).toBe(1)
    expect(lastJson(refused.stdout).run.message).toMatch(/refused \d{8}_\d{6}_audience_export\.csv: cannot tell which artist .* \(kept in landing\)/)

    const html = await csv('spotify_audience_zone_a0.csv', '<!doctype html><html><body><form><input id="login-username"></form></body></html>')
    const wrong = await runCli('import', ['spotify', html], env)
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/matches no known export/)
  })
})
