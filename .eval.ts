import { loadConfig } from './lib/config.ts'
import { openServices } from './lib/context.ts'
import { loadRegistry } from './lib/registry.ts'
const [dir, ...names] = process.argv.slice(2)
const env = { BEDROT_DATA_DIR: `${dir}/lake`, BEDROT_SESSIONS_DIR: `${dir}/sessions` }
const services = await openServices(loadConfig(env))
const reg = await loadRegistry()
for (const spec of names) {
  const [name, q] = spec.split('?')
  const query = Object.fromEntries(new URLSearchParams(q ?? ''))
  const k = await reg.kpis.get(name)!.evaluate({ db: services.wh.db, today: '2025-06-01' }, query as any)
  const { series, ...rest } = k as any
  console.log(JSON.stringify({ ...rest, series: series?.slice(-4) }, null, 0))
}
await services.close()
