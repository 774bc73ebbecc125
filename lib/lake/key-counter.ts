/**
 * @module A counter of 64-bit keys in flat typed arrays. Line identities of a million-line ledger in a
 * JS Map cost ~100 MB; here they cost ~24 MB, which keeps a full re-export inside the memory budget.
 * Keys are two 32-bit FNV-1a hashes of a digest string (already uniformly spread): no Buffer per
 * line, whose ArrayBuffers would otherwise dominate garbage collection on large files.
 */
export class KeyCounter {
  private hi: Uint32Array
  private lo: Uint32Array
  private counts: Uint32Array
  private size = 0

  constructor(capacity = 1 << 16) {
    const slots = 1 << Math.ceil(Math.log2(Math.max(16, capacity * 2)))
    this.hi = new Uint32Array(slots)
    this.lo = new Uint32Array(slots)
    this.counts = new Uint32Array(slots)
  }

  /** Adds one occurrence of `key`; returns how many times it has now been seen. */
  add(key: string): number {
    if ((this.size + 1) * 2 > this.counts.length) this.grow()
    const [hi, lo] = digest(key)
    return this.bump(hi, lo, 1)
  }

  /** How many times `key` has been added (0 when never). */
  count(key: string): number {
    const [hi, lo] = digest(key)
    const mask = this.counts.length - 1
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask
    for (;;) {
      const c = this.counts[i]
      if (c === 0) return 0
      if (this.hi[i] === hi && this.lo[i] === lo) return c
      i = (i + 1) & mask
    }
  }

  private bump(hi: number, lo: number, by: number): number {
    const mask = this.counts.length - 1
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask
    for (;;) {
      const c = this.counts[i]
      if (c === 0) {
        this.hi[i] = hi
        this.lo[i] = lo
        this.counts[i] = by
        this.size++
        return by
      }
      if (this.hi[i] === hi && this.lo[i] === lo) return (this.counts[i] = c + by)
      i = (i + 1) & mask
    }
  }

  private grow() {
    const { hi, lo, counts } = this
    const slots = counts.length * 2
    this.hi = new Uint32Array(slots)
    this.lo = new Uint32Array(slots)
    this.counts = new Uint32Array(slots)
    this.size = 0
    for (let i = 0; i < counts.length; i++) if (counts[i]) this.bump(hi[i], lo[i], counts[i])
  }
}

function digest(key: string): [number, number] {
  let hi = 0x811c9dc5
  let lo = 0x01000193
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    hi = Math.imul(hi ^ c, 0x01000193)
    lo = Math.imul(lo ^ c, 0x5bd1e995)
  }
  return [hi >>> 0, lo >>> 0]
}
