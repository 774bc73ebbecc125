/**
 * @module Shared CLI plumbing: argument parsing with zod (bad usage → exit 2), opening the services,
 * and the exit codes every command uses: 0 ok, 1 failed, 2 bad usage, 3 needs auth.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { z } from 'zod'
import { loadConfig, ConfigError } from './config.ts'
import { openServices, type Services } from './context.ts'
import { AppError } from './errors.ts'
import { Runner } from './pipeline.ts'
import { loadRegistry } from './registry.ts'
import { attachNotifier } from './notify/notify.ts'

export const EXIT = { ok: 0, failed: 1, usage: 2, needsAuth: 3 } as const

export class UsageError extends Error {}

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

export async function openRunner(opts: { stdoutLogs?: boolean } = {}): Promise<Runner> {
  const services: Services = await openServices(loadConfig(), { stdoutLogs: opts.stdoutLogs })
  const runner = new Runner(services, await loadRegistry())
  await runner.markCrashed()
  attachNotifier(runner)
  return runner
}

/** Runs a CLI main; maps errors to exit codes and prints them without stack traces. */
export function main(fn: () => Promise<number>): void {
  fn().then(
    (code) => process.exit(code),
    (err) => {
      if (err instanceof UsageError || err instanceof ConfigError) {
        console.error(err.message)
        process.exit(EXIT.usage)
      }
      if (err instanceof AppError) {
        console.error(`error: ${err.message}`)
        process.exit(err.code === 'NotFound' ? EXIT.usage : err.code === 'NeedsAuth' ? EXIT.needsAuth : EXIT.failed)
      }
      console.error(err instanceof Error ? err.stack : err)
      process.exit(EXIT.failed)
    },
  )
}
