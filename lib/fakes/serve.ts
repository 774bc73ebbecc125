/** @module Serves a fake upstream (any Hono app) over real HTTP, for browser and fetch clients. */
import { serve } from '@hono/node-server'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Hono } from 'hono'

/** Starts any Hono app on 127.0.0.1 with a free port. */
export async function serveFake(app: Hono): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    // Port 0 lets the OS pick a free port, so parallel test files never collide.
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      const http = server as Server
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            // Keep-alive sockets (fetch, Playwright) would hold close() open.
            http.closeAllConnections()
            http.close((err) => (err ? fail(err) : done()))
          }),
      })
    })
    server.once('error', reject)
  })
}
