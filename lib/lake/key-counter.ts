/**
 * @module A counter of 64-bit keys in flat typed arrays. Line identities of a million-line ledger in a
 * JS Map cost ~100 MB; here they cost ~24 MB, which keeps a full re-export inside the memory budget.
 * Keys are the first 8 bytes of a SHA-1 digest, so they are already uniformly spread.
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

  /** Adds one occurrence of the key (first 8 bytes of `digest`); returns how many times it has now been seen. */
  add(digest: Uint8Array): number {
    if ((this.size + 1) * 2 > this.counts.length) this.grow()
    const view = new DataView(digest.buffer, digest.byteOffset, 8)
    return this.bump(view.getUint32(0), view.getUint32(4), 1)
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
