/**
 * npm start — the HTTP server (KPI page, functions, runs) and the daily cron trigger in one process.
 * Start-up problems (bad config, data folder not writable, port in use) end it with one line and exit
 * code 2 before any run starts; only then the missed or unfinished daily run is caught up.
 */
import type { AddressInfo } from 'node:net'
import { createServer, type Server } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import { createApp } from '../lib/app.ts'
import { main, openRunner, StartupError } from '../lib/cli.ts'
import { catchUp, scheduleDaily } from '../lib/schedule.ts'

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? 'is already in use (another server running?); set PORT to a free port'
          : err.code === 'EACCES'
            ? 'needs privileges; use a port above 1023'
            : err.message
      reject(new StartupError(`cannot listen on ${host}:${port}: the port ${why}`))
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve(server.address() as AddressInfo)
    })
  })
}

main(async () => {
  const runner = await openRunner({ stdoutLogs: true })
  const { config, log } = runner.services
  const app = createApp(runner, { warm: true })
  const server = createServer(getRequestListener(app.fetch))
  let info: AddressInfo
  try {
    info = await listen(server, config.port, config.host)
  } catch (err) {
    await runner.services.close()
    throw err
  }
  log.info({ url: `http://${config.host}:${info.port}/` }, 'server listening')
  console.log(`KPI page: http://${config.host}:${info.port}/   cron: "${config.cron}" (${config.timezone})`)
  const task = scheduleDaily(runner)
  void catchUp(runner)
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
