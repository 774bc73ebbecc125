/**
 * @module The lake: zone paths, landing writes, the hash ledgers and archive-on-change for curated files
 * (DESIGN §4). Paths are `<dataDir>/<zone>/<source>/<dataset>/<YYYYMMDD_HHMMSS>_<name>.<ext>`.
 */
import { chmod, copyFile, link, mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { AtomicWriter, DIR_MODE, FILE_MODE, tempName, writeFileAtomic } from './atomic.ts'
import { sha256, sha256File } from './hash.ts'
import { HashLedger } from './ledger.ts'
import { parseStamp, stamp, ZONES, type Zone } from './zones.ts'

export interface LakeFile {
  path: string
  name: string
  dataset: string
  /** From the `YYYYMMDD_HHMMSS` in the name; files without one sort as the oldest. */
  extractedAt: Date | null
}

export class Lake {
  constructor(readonly dataDir: string) {}

  dir(zone: Zone, source: string, dataset?: string): string {
    return path.join(this.dataDir, ZONES[zone], source, ...(dataset ? [dataset] : []))
  }

  async ensureZones(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: DIR_MODE })
    // Tightens a lake created before files were kept private, at its top at least.
    await chmod(this.dataDir, DIR_MODE)
    for (const z of Object.values(ZONES)) {
      await mkdir(path.join(this.dataDir, z), { recursive: true, mode: DIR_MODE })
      await chmod(path.join(this.dataDir, z), DIR_MODE)
    }
  }

  /** Writes bytes as received into landing under a stamped name; returns the path. */
  async land(source: string, dataset: string, name: string, data: string | Uint8Array, extractedAt: Date) {
    const { file, same } = await this.freeLandingName(source, dataset, name, extractedAt, sha256(data))
    if (!same) await writeFileAtomic(file, data)
    return file
  }

  /**
   * Copies an already-written file (a browser download, a CLI import) into landing under a stamped
   * name; `move` renames it instead (a temp file on the same disk, e.g. an HTTP upload).
   */
  async landFile(source: string, dataset: string, name: string, from: string, extractedAt: Date, opts: { move?: boolean } = {}) {
    const { file, same } = await this.freeLandingName(source, dataset, name, extractedAt, await sha256File(from))
    if (same) return file
    if (opts.move) {
      await chmod(from, FILE_MODE)
      await rename(from, file)
      return file
    }
    // Dot-named, so a listing never takes a half-copied file for landed data; swept once its pid is gone.
    const tmp = tempName(file)
    await copyFile(from, tmp)
    // copyFile keeps the source's mode (a download or a person's file may be world-readable).
    await chmod(tmp, FILE_MODE)
    await rename(tmp, file)
    return file
  }

  /**
   * `<stamp>_<name>`, or `<stamp>_<stem>~2.<ext>`… when two different extracts land in the same
   * second: landing is never overwritten. The same bytes under the same name are the same file.
   */
  private async freeLandingName(source: string, dataset: string, name: string, extractedAt: Date, hash: string) {
    const dir = this.dir('landing', source, dataset)
    await mkdir(dir, { recursive: true, mode: DIR_MODE })
    const ext = path.extname(name)
    const stem = name.slice(0, name.length - ext.length)
    for (let n = 1; ; n++) {
      const file = path.join(dir, `${stamp(extractedAt)}_${n === 1 ? name : `${stem}~${n}${ext}`}`)
      if (!(await exists(file))) return { file, same: false }
      if ((await sha256File(file)) === hash) return { file, same: true }
    }
  }

  /** Files of one zone/source, all datasets (or one), oldest extract first. Temp and ledger files excluded. */
  async list(zone: Zone, source: string, dataset?: string): Promise<LakeFile[]> {
    const base = this.dir(zone, source)
    const datasets = dataset ? [dataset] : await subdirs(base)
    const files: LakeFile[] = []
    for (const ds of datasets) {
      let names: string[]
      try {
        names = await readdir(path.join(base, ds))
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw err
      }
      for (const name of names) {
        // Hidden names are temp files being written (and hash ledgers, manifests): never data yet; a
        // `.tmp` suffix is what an interrupted copy by older code or another tool leaves.
        if (name.startsWith('.') || name.startsWith('_') || name.endsWith('.tmp')) continue
        files.push({ path: path.join(base, ds, name), name, dataset: ds, extractedAt: parseStamp(name) })
      }
    }
    return files.sort(byExtractedAt)
  }

  ledger(zone: Zone, source: string): Promise<HashLedger> {
    return HashLedger.open(this.dir(zone, source))
  }

  /**
   * Replaces a curated file with a finished temp file. When the content changed, the old version is
   * kept in 5_archive first (a second name for the same bytes, or a copy where the file system cannot
   * link); when it did not, the temp file is dropped and nothing is touched. `known`: the SHA-256 of
   * both, when the caller has just read them whole (a curated ledger is hundreds of MB).
   * Returns whether the curated file changed.
   */
  async replaceCurated(source: string, file: string, tmp: string, known?: { old: string; new: string }): Promise<boolean> {
    const oldHash = (await exists(file))
      ? (known?.old ??
        (await sha256File(file).catch((err) => {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
          throw err
        })))
      : null
    if (oldHash !== null && oldHash === (known?.new ?? (await sha256File(tmp)))) {
      await rm(tmp, { force: true })
      return false
    }
    if (oldHash !== null) {
      const archived = path.join(this.dir('archive', source), `${stamp(new Date())}_${path.basename(file)}`)
      await mkdir(path.dirname(archived), { recursive: true, mode: DIR_MODE })
      const tmpArchived = tempName(archived)
      // Curated files are replaced by rename, never rewritten in place: a hard link keeps the old bytes.
      await link(file, tmpArchived).catch(() => copyFile(file, tmpArchived))
      await chmod(tmpArchived, FILE_MODE)
      await rename(tmpArchived, archived)
    }
    await rename(tmp, file)
    return true
  }

  /** Opens a writer for a curated file; finish it with `replaceCurated`. */
  async curatedWriter(source: string, name: string): Promise<AtomicWriter> {
    return AtomicWriter.open(path.join(this.dir('curated', source), name))
  }

  curatedPath(source: string, name: string): string {
    return path.join(this.dir('curated', source), name)
  }
}

/** Landed in the same second: `~N` (see freeLandingName) orders them by arrival. */
function sequence(name: string): number {
  const m = /~(\d+)\.[^.]*$/.exec(name)
  return m ? Number(m[1]) : 1
}

function byExtractedAt(a: LakeFile, b: LakeFile): number {
  const ta = a.extractedAt?.getTime() ?? -Infinity
  const tb = b.extractedAt?.getTime() ?? -Infinity
  if (ta !== tb) return ta - tb
  return sequence(a.name) - sequence(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    return entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

export async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  )
}
