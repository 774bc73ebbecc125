/**
 * @module JSON parsing that never lets an integer too large for a JS number through as a number.
 * Graph APIs (Meta, Instagram) send 18-digit ids as strings, but one unquoted id — a drifted endpoint,
 * a hand-edited export — would silently become a different id after `JSON.parse`. Integer literals
 * with more digits than a double holds exactly are quoted before parsing, so they arrive as the
 * exact digit strings they were.
 */

// 2^53 has 16 digits; every integer of 15 digits or fewer is exact.
const MAX_SAFE_DIGITS = 15

/** `JSON.parse`, with integer literals beyond 15 digits turned into strings of their digits. */
export function parseJsonKeepingIds(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text))
}

/** Rewrites JSON text so that long integer literals outside strings become string literals. */
export function quoteLongIntegers(text: string): string {
  let out = ''
  let last = 0
  let i = 0
  const n = text.length
  while (i < n) {
    const ch = text.charCodeAt(i)
    if (ch === 34 /* " */) {
      // Skip the string, escapes included.
      i++
      while (i < n) {
        const c = text.charCodeAt(i)
        if (c === 92 /* \ */) i += 2
        else if (c === 34) break
        else i++
      }
      i++
      continue
    }
    if (ch === 45 /* - */ || (ch >= 48 && ch <= 57)) {
      const start = i
      i++
      while (i < n && /[0-9.eE+-]/.test(text[i])) i++
      const literal = text.slice(start, i)
      if (/^-?\d+$/.test(literal) && literal.replace('-', '').length > MAX_SAFE_DIGITS) {
        out += `${text.slice(last, start)}"${literal}"`
        last = i
      }
      continue
    }
    i++
  }
  return last === 0 ? text : out + text.slice(last)
}
