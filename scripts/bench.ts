/**
 * npm run bench [-- --lines N --runs N --only ledger|growth|daily|kpi|page --no-growth]
 * Every figure of the performance goals, each against a reference measured in the same run, printed as
 * one table and written as JSON (bench-output/bench.json, and bench-output/bench-<commit>.json for
 * comparing commits):
 *   P1 ledger landing → warehouse vs `sqlite3 .import` of the same file; P2 peak RSS at 1M lines and
 *   flat from 100k to 5M; growth: time per line at 100k, 1M, 5M; P3 the daily run of every source with
 *   nothing new upstream, and a 1%-changed ledger export vs a full load; P4 cached KPI responses vs a
 *   bare @hono/node-server answering a constant body of the same size; P5 the page's first render with
 *   data and its JS + CSS weight.
 */
import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { main, parseCli } from '../lib/cli.ts'
import { benchConstant } from './bench/constant.ts'
import { benchDaily } from './bench/daily.ts'
import { benchKpi } from './bench/kpi.ts'
import { benchLedger, benchLedgerChange } from './bench/ledger.ts'
import { benchPage } from './bench/page.ts'
import { seedYear } from './bench/seed.ts'
import { printTable, type Figure } from './bench/table.ts'

const USAGE = 'npm run bench [-- --lines N --runs N --only ledger|growth|daily|kpi|page --no-growth]'
const Args = z.object({
  positionals: z.array(z.string()).max(0),
  lines: z.coerce.number().int().min(1000).default(1_000_000),
  runs: z.coerce.number().int().min(1).max(10).default(3),
  only: z.enum(['ledger', 'growth', 'daily', 'kpi', 'page']).optional(),
  'no-growth': z.boolean().default(false),
})
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

main(async () => {
  const args = parseCli(USAGE, { lines: { type: 'string' }, runs: { type: 'string' }, only: { type: 'string' }, 'no-growth': { type: 'boolean' } }, Args)
  const out = path.resolve('bench-output')
  await mkdir(out, { recursive: true })
  const want = (part: string) => !args.only || args.only === part
  const figures: Figure[] = []
  const raw: Record<string, unknown> = { date: new Date().toISOString() }
  const say = (s: string) => console.error(s)

  // The KPI and page benches read the ledger bench's warehouse, so it always runs (once when not asked for).
  say(`ledger: ${args.lines.toLocaleString('en-US')} lines…`)
  const ledger = await benchLedger(path.join(out, 'ledger'), args.lines, want('ledger') ? args.runs : 1)
  raw.ledger = ledger
  const ours = median(ledger.oursMs)
  const cli = median(ledger.sqliteMs)
  figures.push({
    id: 'P1',
    what: `ledger landing → warehouse, ${ledger.lines.toLocaleString('en-US')} lines`,
    value: ours / 1000,
    unit: 's',
    reference: { what: 'sqlite3 .import', value: cli / 1000 },
    ratio: ours / cli,
    goal: '≤ 3×',
    met: ours / cli <= 3,
  })
  figures.push({
    id: 'P2',
    what: `peak RSS at ${ledger.lines.toLocaleString('en-US')} lines`,
    value: ledger.peakRssMb,
    unit: 'MB',
    goal: '≤ 256 MB',
    met: ledger.peakRssMb <= 256,
  })

  if (want('growth') && !args['no-growth']) {
    const sizes = [100_000, 5_000_000]
    const points = [{ lines: ledger.lines, ms: ours, rssMb: ledger.peakRssMb }]
    for (const n of sizes) {
      say(`growth: ${n.toLocaleString('en-US')} lines…`)
      const g = await benchLedger(path.join(out, `ledger-${n}`), n, 1, { keep: false })
      points.push({ lines: n, ms: g.oursMs[0], rssMb: g.peakRssMb })
    }
    points.sort((a, b) => a.lines - b.lines)
    raw.growth = points
    const base = points.find((p) => p.lines === ledger.lines)!
    for (const p of points) {
      const usPerLine = (p.ms * 1000) / p.lines
      const baseUs = (base.ms * 1000) / base.lines
      figures.push({
        id: 'growth',
        what: `time per line at ${p.lines.toLocaleString('en-US')} lines`,
        value: usPerLine,
        unit: 'µs',
        reference: { what: `per line at ${base.lines.toLocaleString('en-US')}`, value: baseUs },
        ratio: usPerLine / baseUs,
        goal: 'flat (≤ 1.25×)',
        met: p.lines < base.lines || usPerLine / baseUs <= 1.25,
      })
    }
    const small = points[0]
    const big = points.at(-1)!
    figures.push({
      id: 'P2',
      what: `peak RSS at ${big.lines.toLocaleString('en-US')} lines`,
      value: big.rssMb,
      unit: 'MB',
      reference: { what: `at ${small.lines.toLocaleString('en-US')}`, value: small.rssMb },
      ratio: big.rssMb / small.rssMb,
      goal: 'flat (≤ 1.25×), ≤ 256 MB',
      met: big.rssMb <= 256 && big.rssMb / small.rssMb <= 1.25,
    })
  }

  if (want('daily')) {
    say('daily: every source against its fake…')
    const d = benchDaily()
    raw.daily = d
    figures.push({
      id: 'P3',
      what: `daily run, ${d.sources} sources, nothing new upstream`,
      value: d.noopMs / 1000,
      unit: 's',
      reference: { what: 'first daily run (loads a year)', value: d.firstMs / 1000 },
      ratio: d.noopMs / d.firstMs,
      goal: '≤ 2 s',
      met: d.noopMs <= 2000,
    })
    figures.push({
      id: 'P3',
      what: 'the same, extraction skipped (clean → load no-ops)',
      value: d.noopSkipExtractMs / 1000,
      unit: 's',
      goal: '≤ 2 s',
      met: d.noopSkipExtractMs <= 2000,
    })
  }

  if (want('ledger') || want('daily')) {
    say('ledger: a later export with 1% of its lines changed…')
    const c = await benchLedgerChange(path.join(out, 'ledger'), ledger, 0.01)
    raw.ledgerChange = c
    const cpu = median(ledger.oursCpuMs)
    say(
      `ledger: changed export ${Math.round(c.ms)} ms (${JSON.stringify(c.steps)}), full load ${Math.round(ours)} ms, ratio ${(c.ms / ours).toFixed(3)}; ` +
        `CPU ${c.cpuMs} ms vs ${cpu} ms, ratio ${(c.cpuMs / cpu).toFixed(3)}`,
    )
    figures.push({
      id: 'P3',
      what: 'new full ledger export, 1% of lines changed',
      value: c.ms / 1000,
      unit: 's',
      reference: { what: 'full load of the same size', value: ours / 1000 },
      ratio: c.ms / ours,
      goal: 'well under a full load (≤ 0.25×)',
      met: c.ms / ours <= 0.25,
    })
  }

  seedYear(path.join(ledger.keptDataDir, 'warehouse.sqlite'), '2025-12-31')
  if (want('kpi')) {
    say('kpi: cached KPI responses under load, and a bare server of the same body size…')
    const k = await benchKpi(ledger.keptDataDir)
    const ref = await benchConstant(k.meanBodyBytes, k.paths)
    raw.kpi = { ...k, constant: ref }
    const ratio = k.plain.requestsPerSec / ref.requestsPerSec
    figures.push({
      id: 'P4',
      what: `cached KPI responses (${k.kpis} KPIs, mean ${k.meanBodyBytes} B)`,
      value: k.plain.requestsPerSec,
      unit: 'req/s',
      reference: { what: 'bare @hono/node-server, constant body', value: ref.requestsPerSec },
      ratio,
      goal: '≥ 0.70×',
      met: ratio >= 0.7,
    })
    figures.push({
      id: 'P4',
      what: 'cached KPI responses, p99 latency',
      value: k.plain.p99Ms,
      unit: 'ms',
      reference: { what: 'bare server p99', value: ref.p99Ms },
      ratio: k.plain.p99Ms / Math.max(1, ref.p99Ms),
      goal: '≤ 10 ms',
      met: k.plain.p99Ms <= 10,
    })
  }
  if (want('page')) {
    say('page: five cold loads in Chromium…')
    const p = await benchPage(ledger.keptDataDir)
    raw.page = p
    figures.push({
      id: 'P5',
      what: 'first render with data: number painted (median of 5 cold loads; the original Next.js dashboard: 612 ms)',
      value: p.firstRenderMedianMs,
      unit: 'ms',
      // What any page costs this Chromium on this machine: the part of the figure no page change can remove.
      reference: { what: 'a static page holding only the number', value: p.floorMedianMs },
      ratio: p.firstRenderMedianMs / p.floorMedianMs,
      goal: '≤ 200 ms',
      met: p.firstRenderMedianMs <= 200,
    })
    figures.push({
      id: 'P5',
      what: `JS + CSS transferred (${p.files} files)`,
      value: p.jsCssTransferredBytes / 1000,
      unit: 'KB',
      goal: '≤ 30 KB',
      met: p.jsCssTransferredBytes <= 30_000,
    })
  }

  printTable(figures)
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    } catch {
      return 'unknown'
    }
  })()
  const json = JSON.stringify({ commit, ...raw, figures }, null, 2)
  await writeFile(path.join(out, 'bench.json'), json)
  await writeFile(path.join(out, `bench-${commit}.json`), json)
  return 0
})
