/** npm start — the HTTP server (KPI page, functions, runs) and the daily cron trigger in one process. */
import { serve } from '@hono/node-server'
import { createApp } from '../lib/app.ts'
import { main, openRunner } from '../lib/cli.ts'
import { dailyRun, missedDailyRun, scheduleDaily } from '../lib/schedule.ts'

main(async () => {
  const runner = await openRunner({ stdoutLogs: true })
  const { config, log } = runner.services
  const app = createApp(runner)
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    log.info({ url: `http://${config.host}:${info.port}/` }, 'server listening')
    console.log(`KPI page: http://${config.host}:${info.port}/   cron: "${config.cron}" (${config.timezone})`)
  })
  const task = scheduleDaily(runner)
  if (await missedDailyRun(runner)) void dailyRun(runner)
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await task.destroy()
  server.close()
  await runner.services.close()
  return 0
})
