/**
 * @module The Hono app: an HTTP adapter over the same functions the CLI and cron call (DESIGN §3).
 * Routes come from the registry built by scanning functions/; nothing is registered by hand. Every
 * request passes the guards first (lib/http/guard.ts): host allow-list, same-origin for browsers, the
 * API token on state-changing routes (on every data route when bound beyond loopback).
 */
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { isLoopback } from './config.ts'
import { AppError } from './errors.ts'
import { guards, mayReceiveToken } from './http/guard.ts'
import { importRoutes } from './http/import.ts'
import { readRoutes } from './http/read.ts'
import { runRoutes } from './http/runs.ts'
import { secureHeadersByPath } from './http/secure.ts'
import { warmAfterRuns, warmers } from './http/warm.ts'
import { resolveApiToken } from './http/token.ts'
import { currentDay } from './kpi/window.ts'
import type { Runner } from './pipeline.ts'
import { mountWeb } from './web.ts'
import { notificationRoutes } from './notify/routes.ts'

export interface AppOptions {
  /** Today's date for KPI freshness; tests pin it. */
  today?: () => string
  /** The API token; default BEDROT_API_TOKEN, else the generated one in the sessions folder. */
  apiToken?: string
  /** Ask for the page's default view after runs, so its first visit is answered from the cache (the server does). */
  warm?: boolean
}

export function createApp(runner: Runner, opts: AppOptions = {}): Hono {
  const { services } = runner
  const { config } = services
  // The label's day (BEDROT_TZ), not UTC's.
  const today = opts.today ?? currentDay(config.timezone)
  const token = opts.apiToken ?? resolveApiToken(config)
  const app = new Hono()

  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse()
    if (err instanceof AppError) {
      // A refused upload is answered before its body is read: the connection cannot be reused.
      const headers: Record<string, string> = err.status === 413 ? { Connection: 'close' } : {}
      return c.json(err.toJSON(), err.status as 400, headers)
    }
    services.log.error({ err, path: c.req.path }, 'unhandled error')
    return c.json(new AppError('Internal', err.message).toJSON(), 500)
  })
  app.notFound((c) => c.json(new AppError('NotFound', `no route ${c.req.method} ${c.req.path}`).toJSON(), 404))

  app.use('*', secureHeadersByPath)
  const loopback = isLoopback(config.host)
  app.use('*', guards({ allowedHosts: config.allowedHosts, token, everyRoute: !loopback }))

  app.route('/', runRoutes(runner))
  app.route('/', importRoutes(runner))
  app.route('/', readRoutes(runner, today))
  app.route('/notifications', notificationRoutes(runner))
  // Beyond loopback anyone who can reach the page could read a token put in it: there the page
  // takes it from its URL fragment instead (README).
  mountWeb(app, {
    log: services.log,
    pollSeconds: config.pollSeconds,
    timeZone: config.timezone,
    token: (c) => (loopback && mayReceiveToken(c) ? token : null),
  })
  if (opts.warm) warmers.set(app, warmAfterRuns(app, runner, { host: config.allowedHosts[0], token, log: services.log }))
  return app
}
