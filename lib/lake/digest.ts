/**
 * @module A 64-bit digest of a string as two 32-bit FNV-1a lanes with different multipliers: no Buffer
 * and no crypto call per string, for the millions of keys a ledger makes. Not a cryptographic hash.
 */
export function digest64(s: string): [number, number] {
  let a = 0x811c9dc5
  let b = 0x01000193
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
  }
  return [a >>> 0, b >>> 0]
}
