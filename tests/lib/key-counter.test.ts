/** The identity counter behind ledger line numbering: exact counts through growth and past one byte. */
import { describe, expect, it } from 'vitest'
import { KeyCounter } from '../../lib/lake/key-counter.ts'

describe('KeyCounter', () => {
  it('counts each key exactly while it grows from a small table', () => {
    const k = new KeyCounter(4)
    for (let i = 0; i < 50_000; i++) expect(k.add(`line-${i}`)).toBe(1)
    for (let i = 0; i < 50_000; i += 7) expect(k.add(`line-${i}`)).toBe(2)
    expect(k.count('line-0')).toBe(2)
    expect(k.count('line-1')).toBe(1)
    expect(k.count('never added')).toBe(0)
  })

  it('keeps counting a key seen hundreds of times, beyond its one-byte count', () => {
    const k = new KeyCounter()
    const seen = Array.from({ length: 600 }, () => k.add('the same line'))
    expect(seen).toEqual(Array.from({ length: 600 }, (_, i) => i + 1))
    expect(k.count('the same line')).toBe(600)
    k.add('another')
    expect(k.count('another')).toBe(1)
  })
})
