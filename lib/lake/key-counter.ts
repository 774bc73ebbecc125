/**
 * @module A counter of 64-bit keys in flat typed arrays. Line identities of a million-line ledger in a
 * JS Map cost ~100 MB; here they cost 9 bytes a slot: two 32-bit halves of the key and a one-byte count
 * (a key seen 255 times or more keeps its count in a small Map), filled up to three quarters. Give the
 * expected number of keys when it is known: growing doubles the table and, for a moment, holds both.
 * Keys are two 32-bit FNV-1a hashes of a digest string (already uniformly spread): no Buffer per
 * line, whose ArrayBuffers would otherwise dominate garbage collection on large files.
 */
import { digest64 } from './digest.ts'

const MAX_LOAD = 0.75
const SATURATED = 255

export class KeyCounter {
  private hi: Uint32Array
  private lo: Uint32Array
  private counts: Uint8Array
  /** Counts of 255 and more, by `hi:lo`. */
  private many = new Map<string, number>()
  private size = 0

  constructor(capacity = 1 << 16) {
    const slots = 1 << Math.ceil(Math.log2(Math.max(16, Math.ceil(capacity / MAX_LOAD))))
    this.hi = new Uint32Array(slots)
    this.lo = new Uint32Array(slots)
    this.counts = new Uint8Array(slots)
  }

  /** Adds one occurrence of `key`; returns how many times it has now been seen. */
  add(key: string): number {
    if (this.size + 1 > this.counts.length * MAX_LOAD) this.grow()
    const [hi, lo] = digest64(key)
    const i = this.slot(hi, lo)
    const c = this.counts[i]
    if (c === 0) {
      this.hi[i] = hi
      this.lo[i] = lo
      this.counts[i] = 1
      this.size++
      return 1
    }
    if (c < SATURATED - 1) return (this.counts[i] = c + 1)
    const k = `${hi}:${lo}`
    const n = (this.many.get(k) ?? c) + 1
    this.counts[i] = SATURATED
    this.many.set(k, n)
    return n
  }

  /** How many times `key` has been added (0 when never). */
  count(key: string): number {
    const [hi, lo] = digest64(key)
    const c = this.counts[this.slot(hi, lo)]
    return c === SATURATED ? this.many.get(`${hi}:${lo}`)! : c
  }

  /** The slot holding the key, or the empty slot where it belongs (linear probing). */
  private slot(hi: number, lo: number): number {
    const mask = this.counts.length - 1
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask
    while (this.counts[i] !== 0 && (this.hi[i] !== hi || this.lo[i] !== lo)) i = (i + 1) & mask
    return i
  }

  private grow() {
    const { hi, lo, counts } = this
    const slots = counts.length * 2
    this.hi = new Uint32Array(slots)
    this.lo = new Uint32Array(slots)
    this.counts = new Uint8Array(slots)
    for (let j = 0; j < counts.length; j++) {
      if (!counts[j]) continue
      const i = this.slot(hi[j], lo[j])
      this.hi[i] = hi[j]
      this.lo[i] = lo[j]
      this.counts[i] = counts[j]
    }
  }
}
