/**
 * npm run bench [-- --lines N --runs N --only ledger|kpi|page]
 * Measures: the ledger's landing → warehouse path vs the SQLite CLI `.import` (ratio, peak RSS); the
 * page weight and time to first render with data; KPI endpoints under load (req/s, p99).
 * Results are printed and written to bench-output/bench.json.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { main, parseCli } from '../lib/cli.ts'
import { benchKpi } from './bench/kpi.ts'
import { benchLedger } from './bench/ledger.ts'
import { benchPage } from './bench/page.ts'
import { seedYear } from './bench/seed.ts'

const Args = z.object({
  positionals: z.array(z.string()).max(0),
  lines: z.coerce.number().int().min(1000).default(1_000_000),
  runs: z.coerce.number().int().min(1).max(10).default(3),
  only: z.enum(['ledger', 'kpi', 'page']).optional(),
})

main(async () => {
  const args = parseCli('npm run bench [-- --lines N --runs N --only ledger|kpi|page]', { lines: { type: 'string' }, runs: { type: 'string' }, only: { type: 'string' } }, Args)
  const out = path.resolve('bench-output')
  await mkdir(out, { recursive: true })
  const results: Record<string, unknown> = { date: new Date().toISOString() }
  // The KPI and page benches need the ledger bench's warehouse (1M lines by default), so it always runs.
  {
    const r = await benchLedger(path.join(out, 'ledger'), args.lines, args.only && args.only !== 'ledger' ? 1 : args.runs)
    results.ledger = r
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    console.log(`ledger: ${r.lines.toLocaleString('en-US')} lines, ${(r.bytes / 1e6).toFixed(1)} MB`)
    console.log(`  ours landing → warehouse: ${(med(r.oursMs) / 1000).toFixed(2)} s median of [${r.oursMs.map((m) => (m / 1000).toFixed(2)).join(', ')}] (steps ms: ${JSON.stringify(r.steps)})`)
    console.log(`  sqlite3 .import:          ${(med(r.sqliteMs) / 1000).toFixed(2)} s median of [${r.sqliteMs.map((m) => (m / 1000).toFixed(2)).join(', ')}]`)
    console.log(`  ratio ${r.ratio.toFixed(2)} (goal ≤ 3) · peak RSS ${r.peakRssMb.toFixed(0)} MB (goal ≤ 256)`)
    seedYear(path.join(r.keptDataDir, 'warehouse.sqlite'), '2025-12-31')
    if (!args.only || args.only === 'kpi') {
      const k = await benchKpi(r.keptDataDir)
      results.kpi = k
      console.log(`kpi: ${k.kpis} KPIs over ${r.lines.toLocaleString('en-US')} ledger lines + a year of every source; first computation of all: ${k.firstComputeMs.toFixed(0)} ms`)
      console.log(`  cached 200s:        ${Math.round(k.plain.requestsPerSec)} req/s, p50 ${k.plain.p50Ms} ms, p99 ${k.plain.p99Ms} ms (goal ≥ 5,000 req/s, p99 ≤ 20 ms)`)
      console.log(`  If-None-Match 304s: ${Math.round(k.conditional.requestsPerSec)} req/s, p50 ${k.conditional.p50Ms} ms, p99 ${k.conditional.p99Ms} ms`)
    }
    if (!args.only || args.only === 'page') {
      const p = await benchPage(r.keptDataDir)
      results.page = p
      console.log(`page: ${p.files} JS/CSS files, ${(p.jsCssTransferredBytes / 1000).toFixed(1)} KB transferred (${(p.jsCssUncompressedBytes / 1000).toFixed(1)} KB uncompressed; goal ≤ 60 KB)`)
      console.log(`  first render with data: ${p.firstRenderMedianMs.toFixed(0)} ms median of [${p.firstRenderMs.map((m) => m.toFixed(0)).join(', ')}] (goal ≤ 500 ms)`)
    }
  }
  await writeFile(path.join(out, 'bench.json'), JSON.stringify(results, null, 2))
  return 0
})
