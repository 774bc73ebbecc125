/**
 * @module Exact money. Amounts are integers of 1e-8 USD (DistroKid reports 8 decimals), parsed from
 * the source text without ever passing through a float, and summed exactly (|Σ| < 2^53 / 1e8 ≈ $90M).
 *
 * Accepted text: an optional sign (`+1`, `-0.00000000`), digits with an optional fraction (`.5`, `5.`,
 * `41.94876914`) and an optional exponent (`1.2E-5`, `3e2`), surrounding whitespace ignored.
 * Refused (null, so the row is quarantined with its reason, never read as 0): empty text, thousands
 * separators (`1,234.5` — a comma is a decimal mark in half the world, so guessing could be off by
 * 1000×), currency signs, `NaN`/`Infinity`, and any value with non-zero digits beyond 8 decimals.
 */

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/
const SCALE = 8
const PLAIN = /^(-?)(\d{1,9})\.(\d{8})$/

/** `"-0.00000000"` → 0, `"41.94876914"` → 4194876914, `"1.2E-5"` → 1200; null when not exact. */
export function parseE8(text: string): number | null {
  // Fast path for DistroKid's own form (`-12.34567890`): a million-line ledger parses 2-3 amounts a line.
  const plain = PLAIN.exec(text)
  if (plain) {
    const units = Number(plain[2]) * 1e8 + Number(plain[3])
    return plain[1] && units !== 0 ? -units : units
  }
  const m = DECIMAL.exec(text.trim())
  if (!m) return null
  const [, sign, whole = '', frac = '', exp = '0'] = m
  if (whole === '' && frac === '') return null // `.`, `+`, `e5`
  // Shift the decimal point by the exponent plus the 8 places we keep, on the digit string itself.
  const digits = whole + frac
  const point = whole.length + Number(exp) + SCALE
  let intPart: string
  let rest: string
  if (point <= 0) [intPart, rest] = ['0', digits]
  else if (point >= digits.length) [intPart, rest] = [digits.padEnd(point, '0'), '']
  else [intPart, rest] = [digits.slice(0, point), digits.slice(point)]
  if (/[1-9]/.test(rest)) return null // more precision than we keep
  const units = Number(intPart)
  if (!Number.isSafeInteger(units)) return null
  return sign === '-' && units !== 0 ? -units : 0 + units // `0 +` turns -0 into 0
}

/** 4194876914 → "41.94876914"; exact for every safe integer. */
export function formatE8(units: number): string {
  const neg = units < 0
  const abs = Math.abs(units)
  const whole = Math.floor(abs / 1e8)
  const frac = String(abs - whole * 1e8).padStart(SCALE, '0')
  return `${neg ? '-' : ''}${whole}.${frac}`
}

/** e8 units → a JS number of dollars, for display and ratios only (never summed again). */
export function e8ToNumber(units: number): number {
  return Number(formatE8(units))
}
