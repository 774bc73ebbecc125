/** @module Text encoding of exports: UTF-8 where valid, else Latin-1 (one public DistroKid parser reads ISO-8859-1). */
import { isUtf8 } from 'node:buffer'
import { open } from 'node:fs/promises'
import { RefusedFile } from '../errors.ts'

export async function detectTextEncoding(file: string): Promise<BufferEncoding> {
  const fh = await open(file, 'r')
  try {
    const buf = Buffer.alloc(256 * 1024)
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0)
    const head = buf.subarray(0, bytesRead)
    if (head.includes(0)) throw new RefusedFile('binary content (NUL bytes), not a text export')
    // The head may end inside a multi-byte character; allow up to 3 bytes of it.
    for (let cut = 0; cut <= 3 && cut < bytesRead; cut++) if (isUtf8(head.subarray(0, bytesRead - cut))) return 'utf8'
    return bytesRead === 0 ? 'utf8' : 'latin1'
  } finally {
    await fh.close()
  }
}
