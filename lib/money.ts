/**
 * @module Exact money. Amounts are integers of 1e-8 USD (DistroKid reports 8 decimals), parsed from
 * the source text without ever passing through a float, and summed exactly (|Σ| < 2^53 / 1e8 ≈ $90M).
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/
const SCALE = 8

/** `"-0.00000000"` → 0, `"41.94876914"` → 4194876914; null for text that is not a plain decimal. */
export function parseE8(text: string): number | null {
  const m = DECIMAL.exec(text.trim())
  if (!m) return null
  const [, neg, whole, frac = ''] = m
  if (frac.length > SCALE && /[1-9]/.test(frac.slice(SCALE))) return null // more precision than we keep
  const units = Number(whole) * 1e8 + Number(frac.slice(0, SCALE).padEnd(SCALE, '0'))
  if (!Number.isSafeInteger(units)) return null
  return neg && units !== 0 ? -units : 0 + units // `0 +` turns -0 into 0
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
