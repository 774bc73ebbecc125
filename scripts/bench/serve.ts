/** Bench child: the HTTP app alone (no cron) over the configured data dir; prints its port. */
import { serve } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createApp } from '../../lib/app.ts'
import { loadConfig } from '../../lib/config.ts'
import { openServices } from '../../lib/context.ts'
import { Runner } from '../../lib/pipeline.ts'
import { loadRegistry } from '../../lib/registry.ts'

const services = await openServices(loadConfig())
const runner = new Runner(services, await loadRegistry())
const app = createApp(runner)
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => console.log(`PORT ${info.port}`))
