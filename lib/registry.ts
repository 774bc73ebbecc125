/**
 * @module Finds every function by scanning functions/: `<source>/source.ts` (the declaration) with its
 * `{extract,clean,load}.ts`, and `kpi/<name>.ts`. Nothing is registered by hand; adding a source is
 * adding a folder.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { STEP_KINDS, type StepDefinition, type StepKind } from './define.ts'
import type { KpiDefinition } from './kpi/define.ts'
import { loadDeclarations, type SourceDeclaration } from './source.ts'

export const FUNCTIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../functions')

export interface SourceFunctions {
  source: string
  declaration: SourceDeclaration
  steps: Partial<Record<StepKind, StepDefinition>>
}

export interface Registry {
  /** In run order: sources sorted by name (they are independent of each other). */
  sources: Map<string, SourceFunctions>
  kpis: Map<string, KpiDefinition>
}

async function importDefault(file: string): Promise<unknown> {
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown }
  if (!mod.default) throw new Error(`${file} has no default export`)
  return mod.default
}

export async function loadRegistry(dir = FUNCTIONS_DIR): Promise<Registry> {
  const sources = new Map<string, SourceFunctions>()
  const kpis = new Map<string, KpiDefinition>()
  const kpiDir = path.join(dir, 'kpi')
  const kpiFiles = await readdir(kpiDir).catch(() => [] as string[])
  for (const n of kpiFiles.filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort()) {
    const def = (await importDefault(path.join(kpiDir, n))) as KpiDefinition
    const name = n.slice(0, -3)
    if (def.kind !== 'kpi' || def.name !== name) throw new Error(`functions/kpi/${n} must default-export defineKpi({ name: '${name}' })`)
    kpis.set(name, def)
  }
  // A source is a folder with a declaration (source.ts) and its steps.
  for (const declaration of await loadDeclarations(dir)) {
    const folder = declaration.name
    const names = await readdir(path.join(dir, folder))
    const steps: SourceFunctions['steps'] = {}
    for (const kind of STEP_KINDS) {
      if (!names.includes(`${kind}.ts`)) continue
      const def = (await importDefault(path.join(dir, folder, `${kind}.ts`))) as StepDefinition
      if (def.kind !== kind || def.source !== folder) {
        throw new Error(`functions/${folder}/${kind}.ts must default-export a ${kind} step for source '${folder}'`)
      }
      steps[kind] = def
    }
    if (!Object.keys(steps).length) throw new Error(`functions/${folder} declares a source but has no extract.ts, clean.ts or load.ts`)
    sources.set(folder, { source: folder, declaration, steps })
  }
  return { sources, kpis }
}
