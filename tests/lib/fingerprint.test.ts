/**
 * Fingerprints let daily runs skip hashing unchanged files; they must never hide a changed one. A file
 * rewritten in place with bytes of the same length, or replaced by rename, is hashed again.
 */
import { rename, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileFingerprint, sha256File } from '../../lib/lake/hash.ts'
import { HashLedger } from '../../lib/lake/ledger.ts'
import { tempDir } from '../helpers.ts'

describe('file fingerprints', () => {
  it('change when the bytes change, even at the same size and with the old mtime put back', async () => {
    const dir = await tempDir('fp-')
    const file = path.join(dir, 'a.csv')
    await writeFile(file, 'a\n1\n')
    const before = await fileFingerprint(file)
    expect(await fileFingerprint(file)).toBe(before)
    const old = new Date('2025-01-01T00:00:00Z')
    await utimes(file, old, old)
    const touched = await fileFingerprint(file)
    await writeFile(file, 'a\n2\n')
    await utimes(file, old, old)
    // ctime moves on every write and cannot be set back.
    expect(await fileFingerprint(file)).not.toBe(touched)
    const other = path.join(dir, 'b.csv')
    await writeFile(other, 'a\n2\n')
    const at = await fileFingerprint(file)
    await rename(other, file)
    expect(await fileFingerprint(file)).not.toBe(at)
  })

  it('a hash ledger answers by fingerprint only while the entry is there, and survives a reload', async () => {
    const dir = await tempDir('fp-ledger-')
    const file = path.join(dir, 'x.tsv')
    await writeFile(file, 'x\ty\r')
    const hash = await sha256File(file)
    const fp = await fileFingerprint(file)
    const ledger = await HashLedger.open(dir)
    expect(ledger.hashOf(fp)).toBeUndefined()
    ledger.set(hash, { file: 'x.tsv', status: 'promoted', fingerprint: fp })
    expect(ledger.hashOf(fp)).toBe(hash)
    await ledger.save()
    const again = await HashLedger.open(dir)
    expect(again.hashOf(fp)).toBe(hash)
    again.delete(hash)
    expect(again.hashOf(fp)).toBeUndefined()
    // An entry from before fingerprints learns one; it never replaces a recorded one.
    again.set(hash, { file: 'x.tsv', status: 'promoted' })
    again.remember(hash, fp)
    expect(again.hashOf(fp)).toBe(hash)
    again.remember(hash, 'other')
    expect(again.hashOf('other')).toBeUndefined()
  })
})
