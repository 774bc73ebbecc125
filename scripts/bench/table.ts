/**
 * @module The bench's one table: each figure with the reference it is measured against in the same run,
 * their ratio, the goal and whether it is met; the same rows are written as JSON for comparing commits.
 */
export interface Figure {
  id: string
  what: string
  value: number
  unit: string
  /** What the figure is compared with, measured in the same run (absent for absolute goals). */
  reference?: { what: string; value: number }
  ratio?: number
  goal: string
  met: boolean
}

const fmt = (v: number, unit: string) => `${v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(v >= 10 ? 1 : 2)} ${unit}`

export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.id,
    f.what,
    fmt(f.value, f.unit),
    f.reference ? `${f.reference.what}: ${fmt(f.reference.value, f.unit)}` : '—',
    f.ratio === undefined ? '—' : f.ratio.toFixed(2),
    f.goal,
    f.met ? 'met' : 'NOT met',
  ])
  const head = ['id', 'figure', 'value', 'reference (same run)', 'ratio', 'goal', '']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join(' │ ')
  console.log(line(head))
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'))
  for (const r of rows) console.log(line(r))
}
