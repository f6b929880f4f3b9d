import { describe, expect, it } from 'vitest'
import { HashSet52, hash52 } from '../../src/logs/hash.js'

describe('HashSet52', () => {
  it('deletes without breaking the probe chains of the entries that stay', () => {
    const set = new HashSet52()
    // Many more than the initial 1024 slots: chains collide and the table grows.
    const all = Array.from({ length: 5000 }, (_, i) => hash52(`msg_${i}:req_${i}`))
    for (const h of all) expect(set.add(h)).toBe(true)
    const gone = all.filter((_, i) => i % 3 === 0)
    for (const h of gone) expect(set.delete(h)).toBe(true)
    expect(set.delete(gone[0] as number)).toBe(false)
    expect(set.size).toBe(all.length - gone.length)
    expect(all.map((h) => set.has(h))).toEqual(all.map((_, i) => i % 3 !== 0))
    // A deleted entry can come back.
    expect(set.add(gone[1] as number)).toBe(true)
    expect(set.has(gone[1] as number)).toBe(true)
  })
})
