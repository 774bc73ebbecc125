/**
 * @module What a function may touch (DESIGN §3): config, logger, lake, warehouse, upstream client,
 * browser, credentials, the requested date window and the mode. Tests build one over a temp folder.
 */
import { BrowserHelper } from './browser/browser.ts'
import type { Config } from './config.ts'
import { CredentialStore } from './credentials/store.ts'
import { Lake } from './lake/lake.ts'
import { createLogger, registerSecret, type Logger } from './log.ts'
import { UpstreamClient } from './upstream/client.ts'
import { FUNCTIONS_DIR } from './registry.ts'
import { loadDeclarations, resolveSources, secretSettings, type Sources } from './source.ts'
import { openWarehouse, type Warehouse } from './warehouse/db.ts'

export type Mode = 'automated' | 'interactive'

export interface DateWindow {
  from?: string
  to?: string
}

/** Long-lived services shared by every run of a process. */
export interface Services {
  config: Config
  log: Logger
  lake: Lake
  wh: Warehouse
  upstream: UpstreamClient
  browser: BrowserHelper
  credentials: CredentialStore
  /** Every declared source with its configuration (accounts, base URLs, settings). */
  sources: Sources
  close(): Promise<void>
}

/** Per-run view of the services. */
export interface Context extends Omit<Services, 'close'> {
  runId: string
  mode: Mode
  window: DateWindow
  /** Wall-clock time of the run; extractors stamp landing files with it. */
  now: Date
}

export interface ServiceOptions {
  stdoutLogs?: boolean
  /** Tests shrink backoff so retry paths run in milliseconds. */
  minBackoffMs?: number
  /** Where the source declarations live (tests register throwaway sources from a temp folder). */
  functionsDir?: string
}

export async function openServices(config: Config, opts: ServiceOptions = {}): Promise<Services> {
  // Owner-only by default for anything this process creates (each lake, log and warehouse write also
  // sets its mode): a library writing a file of its own cannot make it world-readable either.
  try {
    process.umask(0o077)
  } catch {
    /* worker threads may not change the umask; the explicit modes still hold */
  }
  // Sources are resolved first: a bad variable stops start-up before anything is opened.
  const sources = resolveSources(config.env, await loadDeclarations(opts.functionsDir ?? FUNCTIONS_DIR))
  for (const secret of secretSettings(sources)) registerSecret(secret)
  const log = createLogger({ dir: config.logDir, level: config.logLevel, stdout: opts.stdoutLogs })
  const lake = new Lake(config.dataDir)
  await lake.ensureZones()
  const wh = await openWarehouse(config.warehouseFile)
  const upstream = new UpstreamClient({
    ...config.upstream,
    minBackoffMs: opts.minBackoffMs,
    maxBackoffMs: opts.minBackoffMs ? opts.minBackoffMs * 8 : undefined,
  })
  const browser = new BrowserHelper(config.chromiumPath, config.browserTimeoutMs)
  const credentials = new CredentialStore(config.sessionsDir, undefined, sources)
  return {
    config,
    log,
    lake,
    wh,
    upstream,
    browser,
    credentials,
    sources,
    async close() {
      await browser.close()
      await wh.close()
      log.flush()
    },
  }
}

export function runContext(s: Services, run: { runId: string; mode: Mode; window: DateWindow }): Context {
  const { close: _close, ...rest } = s
  return { ...rest, ...run, log: s.log.child({ runId: run.runId }), now: new Date() }
}
