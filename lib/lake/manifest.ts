/**
 * @module Which staging inputs built a curated file. A small JSON manifest next to each curated file
 * (or next to one source's part of a shared file) lists the staging files — names and SHA-256 — and
 * the recipe (a version of the curating code) that built it. A cleaner rebuilds whenever the current
 * staging set differs from the manifest, so a crash between staging and curated (or a parser fix that
 * rewrote staging) heals on the next run instead of leaving curated behind for good.
 *
 * The manifest is written only after the curated file is in place: a crash in between leaves the old
 * manifest, which no longer matches, and the next run rebuilds.
 */
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from './atomic.ts'
import { sha256File } from './hash.ts'
import { exists, type LakeFile } from './lake.ts'

const Input = z.object({ name: z.string(), sha256: z.string(), size: z.number(), mtimeMs: z.number() })
const Manifest = z.object({ recipe: z.string(), inputs: z.array(Input) })
export type CuratedInputs = z.infer<typeof Manifest>

/** `_<curated name>[.<part>].inputs.json` beside the curated file (hidden from `lake.list`). */
export function manifestPath(curatedFile: string, part?: string): string {
  return path.join(path.dirname(curatedFile), `_${path.basename(curatedFile)}${part ? `.${part}` : ''}.inputs.json`)
}

async function readManifest(file: string): Promise<CuratedInputs | null> {
  try {
    const parsed = Manifest.safeParse(JSON.parse(await readFile(file, 'utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null // missing or unreadable: treated as "built from nothing we know", so rebuilt
  }
}

/**
 * The staging set as a manifest. A file whose size and mtime match the previous manifest keeps its
 * recorded hash: re-hashing a million-line staging file on every run would cost more than the check saves.
 */
export async function describeInputs(files: LakeFile[], recipe: string, previous: CuratedInputs | null = null): Promise<CuratedInputs> {
  const known = new Map((previous?.inputs ?? []).map((i) => [i.name, i]))
  const inputs = []
  for (const f of files) {
    const s = await stat(f.path)
    const name = path.join(f.dataset, f.name)
    const prev = known.get(name)
    const sha256 = prev && prev.size === s.size && prev.mtimeMs === s.mtimeMs ? prev.sha256 : await sha256File(f.path)
    inputs.push({ name, sha256, size: s.size, mtimeMs: s.mtimeMs })
  }
  return { recipe, inputs }
}

const same = (a: CuratedInputs, b: CuratedInputs) =>
  a.recipe === b.recipe && a.inputs.length === b.inputs.length && a.inputs.every((x, i) => x.name === b.inputs[i].name && x.sha256 === b.inputs[i].sha256)

/**
 * Whether `curatedFile` (its `part`) was built from exactly these staging files by this recipe. Returns
 * the current inputs to record with `recordInputs` after a rebuild.
 */
export async function curatedIsCurrent(
  curatedFile: string,
  files: LakeFile[],
  recipe: string,
  part?: string,
): Promise<{ current: boolean; inputs: CuratedInputs }> {
  const previous = await readManifest(manifestPath(curatedFile, part))
  const inputs = await describeInputs(files, recipe, previous)
  const current = previous !== null && same(previous, inputs) && (await exists(curatedFile))
  return { current, inputs }
}

export async function recordInputs(curatedFile: string, inputs: CuratedInputs, part?: string): Promise<void> {
  await writeFileAtomic(manifestPath(curatedFile, part), JSON.stringify(inputs, null, 1) + '\n')
}
