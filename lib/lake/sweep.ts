/**
 * @module Temp files of runs that died (`.<name>.<pid>-<random>.tmp`, see atomic.ts) are removed at
 * start. A temp whose process is still alive belongs to a run going on beside us and is left alone;
 * any temp untouched for a day goes too (older layouts without a pid, a pid reused since).
 */
import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { processAlive } from '../warehouse/claims.ts'

const PID_TMP = /\.(\d+)-[0-9a-f]+\.tmp$/
const DAY = 86_400_000

export interface Swept {
  files: number
  bytes: number
}

export async function sweepDeadTemps(dir: string, now = Date.now()): Promise<Swept> {
  const swept: Swept = { files: 0, bytes: 0 }
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return swept
    throw err
  }
  for (const e of entries) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) {
      const sub = await sweepDeadTemps(p, now)
      swept.files += sub.files
      swept.bytes += sub.bytes
      continue
    }
    if (!e.isFile() || !e.name.endsWith('.tmp')) continue
    const m = PID_TMP.exec(e.name)
    const st = await stat(p).catch(() => null)
    if (!st) continue
    // A day untouched covers a pid that was reused since: no live write leaves its temp that long.
    const dead = (m !== null && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) || now - st.mtimeMs > DAY
    if (!dead) continue
    await rm(p, { force: true })
    swept.files++
    swept.bytes += st.size
  }
  return swept
}
