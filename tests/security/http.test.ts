/**
 * Secure by default (issue 8), on the real app: a foreign page's form post (CSRF) and a rebound
 * hostname are refused, state-changing routes want the token, the page carries the token only to its
 * own origin, names are checked before any path is built, and a refused import is a 4xx that lands
 * nothing.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ledgerLines, ledgerTsv } from '../../functions/distrokid/fake-data.ts'
import { makeSystem } from '../helpers.ts'

type System = Awaited<ReturnType<typeof makeSystem>>
const URL0 = 'http://127.0.0.1:8787'

/** Every file under a folder, temp and dot files included. */
async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(path.join(e.parentPath, e.name))
  return out
}

function ledgerForm(name = 'dk_bank_details_20250601_000000.tsv', body = ledgerTsv([...ledgerLines(1, 5, { maxEarningsE8: 99_999e8 })])): FormData {
  const form = new FormData()
  form.append('file', new File([body], name))
  return form
}

describe('secure by default', () => {
  let sys: System
  const send = (p: string, init: RequestInit = {}) => sys.app.fetch(new Request(URL0 + p, init))
  const bearer = () => ({ Authorization: `Bearer ${sys.token}` })
  const lines = async () =>
    Number(
      (
        await sys.services.wh.db
          .selectFrom('revenue_lines')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const runs = async () => (await sys.services.wh.db.selectFrom('runs').select('id').execute()).length
  const landing = async () => allFiles(sys.services.lake.dir('landing', 'distrokid')).catch(() => [])

  beforeAll(async () => {
    sys = await makeSystem({ BEDROT_MAX_UPLOAD_MB: '1' })
  })
  afterAll(() => sys.close())

  it('a foreign page cannot post a forged ledger line: form posts with a foreign Origin or cross-site fetch metadata are 403', async () => {
    const attempts: RequestInit[] = [
      // What a plain <form method=post enctype=multipart/form-data> on evil.example sends (no token: it cannot read one).
      { method: 'POST', body: ledgerForm(), headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' } },
      // Even holding the token, a foreign origin is refused.
      { method: 'POST', body: ledgerForm(), headers: { Origin: 'https://evil.example', ...bearer() } },
      { method: 'POST', body: ledgerForm(), headers: { Origin: 'null', ...bearer() } },
      { method: 'POST', body: ledgerForm(), headers: { 'Sec-Fetch-Site': 'cross-site', ...bearer() } },
      { method: 'POST', body: ledgerForm(), headers: { Origin: 'http://127.0.0.1:9999', ...bearer() } },
    ]
    for (const init of attempts) {
      const res = await send('/import/distrokid', init)
      expect(res.status).toBe(403)
      expect((await res.json()).error.code).toBe('ForbiddenOrigin')
    }
    const form = await send('/run/distrokid', {
      method: 'POST',
      body: 'x=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
    })
    expect(form.status).toBe(403)
    expect(await lines()).toBe(0)
    expect(await landing()).toEqual([])
    expect(await runs()).toBe(0)
  })

  it('a rebound hostname (Host: evil.example) is refused on every route, the page included', async () => {
    for (const p of ['/', '/kpi', '/kpi/revenue-total', '/health', '/auth/status', '/web/app.js']) {
      const res = await sys.app.fetch(new Request(`http://evil.example:8787${p}`))
      expect(res.status, p).toBe(403)
      const text = await res.text()
      expect(JSON.parse(text).error.code).toBe('ForbiddenHost')
      expect(text).not.toContain(sys.token)
    }
    const post = await sys.app.fetch(new Request('http://evil.example/run/distrokid', { method: 'POST', headers: bearer() }))
    expect(post.status).toBe(403)
    for (const host of ['localhost', '127.0.0.1', '[::1]']) expect((await sys.app.fetch(new Request(`http://${host}:8787/kpi`))).status, host).toBe(200)
  })

  it('no token, a wrong one or a malformed header: 401/400 on every state-changing route, and nothing runs', async () => {
    const routes = ['/run/distrokid', '/run', '/functions/distrokid/clean', '/import/distrokid']
    for (const p of routes) {
      for (const headers of [{}, { Authorization: 'Bearer fake-wrong-token-0000000000' }, { Authorization: `Basic ${sys.token}` }] as Record<
        string,
        string
      >[]) {
        const res = await send(p, { method: 'POST', headers, body: p === '/import/distrokid' ? ledgerForm() : undefined })
        expect([400, 401], `${p} ${JSON.stringify(headers)}`).toContain(res.status)
        const text = await res.text()
        expect(text).not.toContain(sys.token)
      }
    }
    const none = await send('/run/distrokid', { method: 'POST' })
    expect(none.status).toBe(401)
    expect((await none.json()).error.message).toMatch(/no API token: send 'Authorization: Bearer <token>'/)
    expect(await runs()).toBe(0)
    // On loopback, reading needs no token; with it a run goes ahead.
    expect((await send('/kpi/revenue-total')).status).toBe(200)
    expect((await send('/run/distrokid', { method: 'POST', headers: bearer() })).status).toBe(200)
    expect(await runs()).toBe(1)
  })

  it('routes that take no body refuse a large one (bodyLimit) before running anything', async () => {
    const before = await runs()
    const res = await send('/run/distrokid', { method: 'POST', headers: bearer(), body: 'x'.repeat(64 * 1024) })
    expect(res.status).toBe(413)
    expect((await res.json()).error.message).toBe('this route takes no body')
    expect(await runs()).toBe(before)
  })

  it('the page carries the token to its own origin only, and is never cached with it', async () => {
    const page = await send('/')
    const html = await page.text()
    expect(html).toContain(`<meta name="bedrot-api-token" content="${sys.token}">`)
    expect(page.headers.get('cache-control')).toBe('no-store')
    const foreign = await (await send('/', { headers: { 'Sec-Fetch-Site': 'cross-site' } })).text()
    expect(foreign).not.toContain(sys.token)
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('names are checked before any path is built: traversal in source, step, KPI, asset and file names is refused', async () => {
    const before = await allFiles(sys.config.dataDir)
    for (const [method, p, status] of [
      ['POST', '/run/..%2F..%2Fetc', 404],
      ['POST', '/functions/distrokid/..%2F..%2Fpackage', 404],
      ['POST', '/import/..%2Fdistrokid', 404],
      ['GET', '/kpi/..%2F..%2Fpackage.json', 404],
      ['GET', '/web/..%2F..%2Fpackage.json', 404],
      ['GET', '/vendor/..%2F..%2Fpackage.json', 404],
      ['GET', '/web/%2e%2e%2fpackage.json', 404],
    ] as const) {
      const res = await send(p, { method, headers: bearer() })
      expect(res.status, p).toBe(status)
      expect(await res.text()).not.toContain('"name": "bedrot-lake"')
    }
    for (const name of ['../../../evil.tsv', '..\\..\\evil.tsv', '/etc/passwd', '.hidden.tsv', 'a/../../b.tsv', '..']) {
      const res = await send('/import/distrokid', { method: 'POST', body: ledgerForm(name), headers: bearer() })
      expect(res.status, name).toBe(400)
      expect((await res.json()).error.message).toMatch(/refused: a plain name without folders/)
    }
    expect(await allFiles(sys.config.dataDir)).toEqual(before)
  })

  it('a refused import answers 4xx with the reason, and landing keeps only accepted files', async () => {
    const before = await landing()
    const cases: [FormData | string, number, RegExp, Record<string, string>?][] = [
      [ledgerForm('notes.txt', 'just some notes\n'), 400, /content matches no known export/],
      [ledgerForm('empty.tsv', ''), 400, /the file is empty/],
      [ledgerForm('blob.tsv', 'Reporting Date\t\0\0\0binary'), 400, /binary content/],
      [ledgerForm('big.tsv', `Reporting Date\tSale Month\n${'x'.repeat(2 * 2 ** 20)}`), 413, /larger than BEDROT_MAX_UPLOAD_MB \(1 MB\)/],
      [new FormData(), 400, /no file/],
      ['plain text', 415, /multipart\/form-data/, { 'Content-Type': 'text/plain' }],
    ]
    for (const [body, status, message, headers] of cases) {
      const res = await send('/import/distrokid', { method: 'POST', body, headers: { ...bearer(), ...headers } })
      expect(res.status, String(message)).toBe(status)
      expect((await res.json()).error.message).toMatch(message)
    }
    // One good file beside a bad one: neither lands (classification comes before landing).
    const mixed = ledgerForm()
    mixed.append('file', new File(['just notes'], 'notes.txt'))
    expect((await send('/import/distrokid', { method: 'POST', body: mixed, headers: bearer() })).status).toBe(400)
    expect(await landing()).toEqual(before)
    const ok = await send('/import/distrokid', { method: 'POST', body: ledgerForm(), headers: bearer() })
    expect(ok.status).toBe(200)
    const after = await landing()
    expect(after).toHaveLength(before.length + 1)
    expect(after.every((f) => !path.basename(f).startsWith('.'))).toBe(true)
  })
})
