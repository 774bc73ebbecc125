// Exact money on the client: the KPIs send ledger money as decimal text ("944.04970055") besides the
// float; sums for "others" rows are done on integers of 1e-8 so the CSV keeps every digit.
const SCALE = 8

export function toE8(text) {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(String(text).trim())
  if (!m) return null
  const frac = (m[3] ?? '').padEnd(SCALE, '0')
  if (frac.length > SCALE) return null
  const v = BigInt(m[2] || '0') * 10n ** BigInt(SCALE) + BigInt(frac || '0')
  return m[1] ? -v : v
}

export function fromE8(v) {
  const neg = v < 0n
  const a = neg ? -v : v
  const s = a.toString().padStart(SCALE + 1, '0')
  return `${neg ? '-' : ''}${s.slice(0, -SCALE)}.${s.slice(-SCALE)}`
}

/** Σ of exact decimal strings, or null when any is missing (then no exact total can be claimed). */
export function sumExact(list) {
  let total = 0n
  for (const t of list) {
    const v = t === null || t === undefined ? null : toE8(t)
    if (v === null) return null
    total += v
  }
  return fromE8(total)
}
