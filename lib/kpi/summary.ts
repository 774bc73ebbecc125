/**
 * @module One line a label can read for a KPI envelope (what `npm run kpi` prints beside the JSON):
 * money as dollars and cents, counts with thousands separators, rates as percentages, months to one
 * decimal — never a raw float such as 0.9123333333333333. The envelope keeps the exact values.
 */
import type { KpiEnvelope } from './define.ts'

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const dec = (digits: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return 'not reported yet'
  switch (unit) {
    case 'usd':
      // Sub-cent figures (revenue per stream) keep enough digits to mean something.
      return Math.abs(value) < 0.1 && value !== 0 ? `$${dec(5).format(value)}` : `$${dec(2).format(value)}`
    case 'percent':
      return `${dec(1).format(value)}%`
    case 'months':
      return `${dec(1).format(value)} months`
    case 'ratio':
      return dec(2).format(value)
    case 'r':
      return `r = ${dec(2).format(value)}`
    default:
      return `${whole.format(value)}${unit === 'count' ? '' : ` ${unit}`}`
  }
}

export function summarize(k: KpiEnvelope): string {
  const parts = [`${k.title}: ${formatValue(k.value, k.unit)}`]
  const change = typeof k.change === 'number' ? k.change : null
  if (change !== null && k.unit !== 'percent') parts.push(`(${change >= 0 ? '+' : ''}${dec(1).format(change * 100)}% on the period before)`)
  parts.push(`— ${k.window.from} … ${k.window.to}`)
  if (k.estimated) parts.push('(estimated)')
  const line = parts.join(' ')
  return k.note ? `${line}\n${k.note}` : line
}
