/**
 * TikTok and Linktree run with recognisable fake session cookies and tokens, through success and
 * failure (an expired TikTok account, a Linktree token revoked mid-way); none of the secret values may
 * appear in any log line, run report, HTTP response or lake file.
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFakeLinktree } from '../../functions/linktree/fake.ts'
import { createFakeTikTok } from '../../functions/tiktok/fake.ts'
import { serveFake } from '../../lib/fakes/serve.ts'
import { makeSystem } from '../helpers.ts'

const DAY = 86_400_000

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...(await filesUnder(p)))
    else out.push(p)
  }
  return out
}

describe('TikTok and Linktree secrets', () => {
  const tiktok = createFakeTikTok({
    accounts: [
      { name: 'zone.a0', scale: 100, followers: 10 },
      { name: 'pig1987', scale: 100, followers: 10 },
    ],
  })
  const linktree = createFakeLinktree({ scale: 5, links: [{ id: 1, title: 'L', active: true, weight: 1 }] })
  const servers: { url: string; close(): Promise<void> }[] = []
  let sys: Awaited<ReturnType<typeof makeSystem>>
  const secrets: string[] = []

  beforeAll(async () => {
    servers.push(await serveFake(tiktok.app), await serveFake(linktree.app))
    sys = await makeSystem({ TIKTOK_BASE_URL: servers[0].url, LINKTREE_BASE_URL: servers[1].url })
    for (const a of ['zone.a0', 'pig1987']) {
      const state = tiktok.session(a, servers[0].url, new Date(Date.now() + 20 * DAY))
      secrets.push(...state.cookies.map((c) => c.value))
      await sys.services.credentials.save('tiktok', a, { storageState: state })
    }
    const token = linktree.issueToken(new Date(Date.now() + DAY))
    secrets.push(token)
    await sys.services.credentials.save('linktree', 'default', { token })
  }, 60_000)
  afterAll(async () => {
    await sys.close()
    for (const s of servers) await s.close()
  })

  it('appear nowhere after good and failing runs', async () => {
    expect(secrets.every((s) => /^fake-(tiktok|linktree)-/.test(s))).toBe(true)
    const reports: unknown[] = []
    reports.push(await sys.runner.run({ source: 'tiktok', trigger: 'cli' }))
    reports.push(await sys.runner.run({ source: 'linktree', trigger: 'cli' }))
    tiktok.expire('pig1987')
    linktree.revokeAll()
    reports.push(await sys.runner.run({ source: 'tiktok', trigger: 'cli' }))
    reports.push(await sys.runner.run({ source: 'linktree', trigger: 'cli' }))
    expect((reports as { status: string }[]).map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'needs_auth'])
    sys.services.log.flush()

    const texts: [string, string][] = reports.map((r, i) => [`report ${i}`, JSON.stringify(r)])
    for (const route of ['/runs?limit=50', '/health', '/auth/status', '/kpi/tiktok-views?days=all', '/kpi/linktree-clicks?days=all']) {
      texts.push([route, await (await sys.app.request(route)).text()])
    }
    const files = await filesUnder(sys.config.dataDir)
    expect(files.some((f) => f.includes('1_landing') && f.endsWith('.zip'))).toBe(true)
    expect(files.some((f) => f.endsWith('pipeline.jsonl'))).toBe(true)
    for (const f of files.filter((x) => !x.endsWith('.sqlite') && !x.includes('.sqlite-'))) texts.push([f, (await readFile(f)).toString('latin1')])
    const rows = await sys.services.wh.db.selectFrom('steps').select(['message']).execute()
    texts.push(['steps', JSON.stringify(rows)])
    for (const [where, text] of texts) for (const s of secrets) expect(text.includes(s), `${where} holds a secret`).toBe(false)
  }, 240_000)
})
