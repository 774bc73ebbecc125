/**
 * @module Whether anything in a sessions folder may have changed, without a stat of every session file on
 * every question (the alerts KPI asks on each poll). Stores in this process announce their writes, seen at
 * once; writes by another process (`npm run auth`) arrive as fs.watch events on the folder and on each
 * source's subfolder. While the folder cannot be watched (it does not exist yet, or a watch failed) there
 * is no generation, and callers check every file as before.
 */
import { type FSWatcher, readdirSync, watch } from 'node:fs'
import path from 'node:path'

class FolderChanges {
  private generation = 0
  private watchers: FSWatcher[] = []

  constructor(private readonly dir: string) {}

  /** A number that differs after anything in the folder may have changed; null when that cannot be known. */
  current(): number | null {
    if (!this.watchers.length) this.start()
    return this.watchers.length ? this.generation : null
  }

  /** A write by this process: seen by the next question, before any watch event arrives. */
  changed(): void {
    this.generation++
  }

  private start() {
    try {
      // A session file is written as a rename inside its source's folder; the top folder's events are a
      // source folder appearing or going (or the folder itself), after which every watch is set up anew.
      this.watchers.push(this.watchOne(this.dir, () => this.restart()))
      for (const e of readdirSync(this.dir, { withFileTypes: true })) {
        if (e.isDirectory()) this.watchers.push(this.watchOne(path.join(this.dir, e.name), () => this.changed()))
      }
    } catch {
      this.stop()
    }
  }

  private watchOne(dir: string, onEvent: () => void): FSWatcher {
    // Not persistent: a watch must not keep a CLI or a test process alive.
    const w = watch(dir, { persistent: false }, onEvent)
    w.on('error', () => this.stop())
    return w
  }

  private restart() {
    this.stop()
    this.start()
  }

  private stop() {
    for (const w of this.watchers) w.close()
    this.watchers = []
    this.generation++
  }
}

// One per folder, shared by every store on it: a write through one store is a change for all of them.
const folders = new Map<string, FolderChanges>()

export function folderChanges(dir: string): FolderChanges {
  const key = path.resolve(dir)
  let f = folders.get(key)
  if (!f) folders.set(key, (f = new FolderChanges(key)))
  return f
}
