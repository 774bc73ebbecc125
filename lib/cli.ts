/**
 * @module Shared CLI plumbing: argument parsing with zod (bad usage → exit 2), opening the services,
 * and the exit codes every command uses: 0 ok, 1 failed, 2 bad usage / cannot start, 3 needs auth.
 */
import { constants } from 'node:fs'
import { access, mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { z } from 'zod'
import { loadConfig, ConfigError } from './config.ts'
import { openServices, type Services } from './context.ts'
import { AppError } from './errors.ts'
import { Runner } from './pipeline.ts'
import { sweepDeadTemps } from './lake/sweep.ts'
import { loadRegistry } from './registry.ts'
import { attachNotifier } from './notify/notify.ts'

export const EXIT = { ok: 0, failed: 1, usage: 2, needsAuth: 3 } as const

export class UsageError extends Error {}

/** The process cannot start (port in use, data folder not writable): one line, exit 2, before any run. */
export class StartupError extends Error {}

export function parseCli<S extends z.ZodType>(usage: string, options: ParseArgsConfig['options'], schema: S, argv = process.argv.slice(2)): z.infer<S> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${usage}`)
  }
  const result = schema.safeParse({ ...parsed.values, positionals: parsed.positionals })
  if (!result.success) {
    const i = result.error.issues[0]
    throw new UsageError(`${i.path.join('.') || 'arguments'}: ${i.message}\nusage: ${usage}`)
  }
  return result.data
}

/** Opens what every command needs: config, a writable data folder, services, crashed runs marked, dead temps swept. */
export async function openRunner(opts: { stdoutLogs?: boolean; env?: Record<string, string | undefined> } = {}): Promise<Runner> {
  const config = loadConfig(opts.env)
  await checkWritable(config.dataDir)
  const services: Services = await openServices(config, { stdoutLogs: opts.stdoutLogs })
  const runner = new Runner(services, await loadRegistry())
  await runner.markCrashed()
  attachNotifier(runner)
  const swept = await sweepDeadTemps(config.dataDir)
  if (swept.files) services.log.info(swept, 'removed temp files of runs that ended without finishing')
  return runner
}

/** The data folder must exist (or be creatable) and take writes; said in one line, not as a stack trace. */
export async function checkWritable(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true })
    await access(dir, constants.W_OK)
    const probe = path.join(dir, `.write-probe.${process.pid}`)
    await writeFile(probe, '')
    await rm(probe, { force: true })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new StartupError(`data folder ${dir} is not writable (${e.code ?? e.message}); set BEDROT_DATA_DIR to a folder you own`)
  }
}

/** Runs a CLI main; maps errors to exit codes and prints them without stack traces. */
export function main(fn: () => Promise<number>): void {
  fn().then(
    (code) => process.exit(code),
    (err) => {
      if (err instanceof UsageError) {
        console.error(err.message)
        process.exit(EXIT.usage)
      }
      if (err instanceof ConfigError || err instanceof StartupError) {
        // One line: a service manager's log shows the first line of stderr.
        console.error(`error: ${err.message.replace(/:?\n\s*/g, '; ').replace(/^invalid configuration; /, 'invalid configuration: ')}`)
        process.exit(EXIT.usage)
      }
      if (err instanceof AppError) {
        console.error(`error: ${err.message}`)
        process.exit(err.code === 'NotFound' || err.code === 'BadRequest' ? EXIT.usage : err.code === 'NeedsAuth' ? EXIT.needsAuth : EXIT.failed)
      }
      console.error(err instanceof Error ? err.stack : err)
      process.exit(EXIT.failed)
    },
  )
}
