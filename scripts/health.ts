/**
 * npm run health [-- --json]
 * Every source's health (last success, newest data and its freshness, sessions, stuck files, last
 * error with the hint to fix it) and the overall status. Exit 0 when ok or only warnings, 1 when
 * something is at error level (alert on it), 2 on bad usage.
 */
import { z } from 'zod'
import { EXIT, main, openRunner, parseCli } from '../lib/cli.ts'
import { health } from '../lib/health.ts'

const Args = z.object({ positionals: z.array(z.string()).max(0), json: z.boolean().default(false) })
const MARK = { ok: 'ok   ', warn: 'WARN ', error: 'ERROR' } as const

main(async () => {
  const args = parseCli('npm run health [-- --json]', { json: { type: 'boolean' } }, Args)
  const runner = await openRunner()
  try {
    const report = await health(runner)
    if (args.json) console.log(JSON.stringify(report, null, 2))
    else {
      for (const s of report.sources) {
        const newest = s.newestDate ? `newest ${s.newestDate} (${s.freshness})` : 'no data yet'
        const ok = s.lastSuccess ? `last success ${s.lastSuccess.slice(0, 16).replace('T', ' ')}` : 'never succeeded'
        console.log(`${MARK[s.status]} ${s.source.padEnd(10)} ${ok}; ${newest}`)
        for (const i of s.issues) console.log(`        ${i.level === 'error' ? '!' : '-'} ${i.text}`)
        if (s.lastError && s.status !== 'ok') console.log(`        last error (${s.lastError.severity ?? s.lastError.status}): ${s.lastError.hint}`)
      }
      console.log(`overall: ${report.status}`)
    }
    return report.status === 'error' ? EXIT.failed : EXIT.ok
  } finally {
    await runner.services.close()
  }
})
