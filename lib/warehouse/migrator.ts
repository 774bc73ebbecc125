/**
 * @module Runs migrations/ in name order. Kysely's FileMigrationProvider imports from inside
 * node_modules, which vitest leaves to plain Node (no .ts); this provider imports from project code,
 * so the same migrations run under tsx, vitest and the CLI.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')

class ProjectMigrationProvider implements MigrationProvider {
  constructor(private dir: string) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const names = (await readdir(this.dir)).filter((n) => /^\d{4}_.+\.ts$/.test(n)).sort()
    const out: Record<string, Migration> = {}
    for (const n of names) out[n.replace(/\.ts$/, '')] = await import(pathToFileURL(path.join(this.dir, n)).href)
    return out
  }
}

export interface MigrateOptions {
  dir?: string
  /**
   * Called once before migrations change a warehouse that already has some applied, with the name of
   * the newest applied one (its schema version): the place to take a safety copy.
   */
  beforeChange?: (schemaVersion: string) => Promise<unknown>
}

/** Returns the names of the migrations it applied. The caller serialises processes (see db.ts). */
export async function migrateToLatest(db: Kysely<any>, opts: MigrateOptions = {}): Promise<string[]> {
  // Branches land migrations in parallel: one numbered below a migration a warehouse already ran is
  // still applied (they create independent tables) instead of failing every start.
  const migrator = new Migrator({ db, provider: new ProjectMigrationProvider(opts.dir ?? MIGRATIONS_DIR), allowUnorderedMigrations: true })
  const all = await migrator.getMigrations()
  const applied = all.filter((m) => m.executedAt)
  if (applied.length === all.length) return []
  if (applied.length && opts.beforeChange) await opts.beforeChange(applied[applied.length - 1].name)
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? '')
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`)
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
