import { describe, expect, it } from 'vitest'
import { CompactPart } from '../../src/logs/compact-set.js'
import { HashSet52, hash52, hash52Pair, KeySet, SplitHashSet, sortedHashes } from '../../src/logs/hash.js'

describe('hash52', () => {
  it('keeps the values scan states on disk hold', () => {
    // Stored request keys and message ids are these numbers: a change would count history twice.
    expect(hash52('')).toBe(3551169387108222)
    expect(hash52('msg_01ABC')).toBe(415084421215978)
    expect(hash52('msg_01ABC:req_011XYZ')).toBe(2611556185227215)
    expect(hash52('ünïcode ✓')).toBe(3586695452332688)
  })

  it('hash52Pair gives the message id hash and the request key hash of one line', () => {
    expect(hash52Pair('msg_01ABC', 'req_011XYZ')).toEqual([415084421215978, 2611556185227215])
    for (const [id, req] of [
      ['', ''],
      ['msg_01', ''],
      ['', 'req_1'],
      ['msg_01Bench000000000abc', 'req_011Bench1234'],
      ['a:b', 'c:d'],
    ] as const) {
      expect(hash52Pair(id, req)).toEqual([hash52(id), hash52(`${id}:${req}`)])
    }
  })
})

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

describe('CompactPart', () => {
  it('keeps hashes that differ only in the bits it stores apart, and deletes without breaking chains', () => {
    // One part's hashes share their top 5 bits; these differ in the 15 tag bits, the low 32 bits,
    // or both, the extremes included.
    const top = 5 * 2 ** 47
    const tags = [0, 1, 2 ** 14, 2 ** 15 - 1].map((t) => t * 2 ** 32)
    const lows = [0, 1, 2 ** 31, 2 ** 32 - 1, 12345]
    const edge = tags.flatMap((t) => lows.map((l) => top + t + l))
    const spread = Array.from({ length: 20_000 }, (_, i) => top + (hash52(`k${i}`) % 2 ** 47))
    const all = [...new Set([...edge, ...spread])]
    const part = new CompactPart()
    const plain = new Set<number>()
    for (const [i, h] of all.entries()) {
      expect(part.add(h)).toBe(!plain.has(h))
      plain.add(h)
      if (i % 3 === 0) {
        const gone = all[i >> 1] as number
        expect(part.delete(gone)).toBe(plain.delete(gone))
      }
    }
    expect(part.size).toBe(plain.size)
    for (const h of all) expect(part.has(h)).toBe(plain.has(h))
  })
})

describe('SplitHashSet', () => {
  it('answers as one hash set would before and after it splits (past 65 536 entries)', () => {
    const split = new SplitHashSet(4096)
    const plain = new HashSet52()
    const all = Array.from({ length: 150_000 }, (_, i) => hash52(`msg_${i}:req_${i}`))
    for (const [i, h] of all.entries()) {
      expect(split.add(h)).toBe(plain.add(h))
      if (i % 7 === 0) expect(split.add(h)).toBe(false)
      if (i % 5 === 0) expect(split.delete(all[i >> 1] as number)).toBe(plain.delete(all[i >> 1] as number))
    }
    expect(split.size).toBe(plain.size)
    for (const h of all) expect(split.has(h)).toBe(plain.has(h))
    for (let i = 150_000; i < 160_000; i++) expect(split.has(hash52(`msg_${i}:req_${i}`))).toBe(false)
    // Hashes that differ only in the bits that pick the part, after the split.
    const low = 0x12345678 + 2 ** 32 * 3
    for (let top = 0; top < 2 ** 5; top += 3) {
      expect(split.add(top * 2 ** 47 + low)).toBe(true)
      expect(split.has(top * 2 ** 47 + low)).toBe(true)
      expect(split.has(((top + 16) % 2 ** 5) * 2 ** 47 + low)).toBe(false)
    }
  })
})

/** A seeded random integer below n. */
function seeded(start: number) {
  let seed = start
  return (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed % n
  }
}

/** The same random adds, deletes and lookups on both sets answer the same. */
function sameAnswers(
  a: Pick<KeySet, 'add' | 'delete' | 'has'>,
  b: Pick<KeySet, 'add' | 'delete' | 'has'>,
  pool: readonly number[],
  rand: (n: number) => number,
  ops: number,
) {
  for (let i = 0; i < ops; i++) {
    const h = pool[rand(pool.length)] as number
    const op = rand(3)
    if (op === 0) expect(a.add(h)).toBe(b.add(h))
    else if (op === 1) expect(a.delete(h)).toBe(b.delete(h))
    else expect(a.has(h)).toBe(b.has(h))
  }
  for (const h of pool) expect(a.has(h)).toBe(b.has(h))
}

describe('KeySet', () => {
  it('answers as one hash set would, whatever came from the lists and what the scan did since', () => {
    const rand = seeded(7)
    const pool = Array.from({ length: 600 }, (_, i) => hash52(`msg_${i}:req_${i}`))
    const lists = [0, 1, 2].map(() => Float64Array.from({ length: 150 }, () => pool[rand(300)] as number))
    const keys = new KeySet(lists)
    const plain = new HashSet52()
    for (const l of lists) for (const h of l) plain.add(h)
    sameAnswers(keys, plain, pool, rand, 5000)
  })

  it('finds every hash of its lists, the smallest and largest 52-bit ones included, and no other', () => {
    const edge = [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 52 - 1, 2 ** 51, 4503599627370495 - 2 ** 31]
    const spread = Array.from({ length: 3000 }, (_, i) => hash52(`k${i}`))
    const keys = new KeySet([
      Float64Array.from(spread.slice(0, 1500)),
      Float64Array.from([...edge, ...spread.slice(1500)]),
    ])
    for (const h of [...edge, ...spread]) expect(keys.has(h)).toBe(true)
    for (let i = 3000; i < 6000; i++) expect(keys.has(hash52(`k${i}`))).toBe(false)
    for (const h of [2, 2 ** 32 + 1, 2 ** 52 - 2]) expect(keys.has(h)).toBe(false)
  })
})

describe('KeySet from sorted hashes', () => {
  it('answers as the set of the kept lists would, lists dropped by count (a hash may be in two)', () => {
    const rand = seeded(11)
    const pool = Array.from({ length: 400 }, (_, i) => hash52(`msg_${i}:req_${i}`))
    for (let round = 0; round < 20; round++) {
      // Lists that share hashes (a request taken back out and counted again in another file).
      const lists = Array.from({ length: 6 }, () =>
        Float64Array.from({ length: 40 }, () => pool[rand(200)] as number),
      )
      const dropped = lists.filter(() => rand(3) === 0)
      const kept = lists.filter((l) => !dropped.includes(l))
      const later = [Float64Array.from({ length: 10 }, () => pool[rand(pool.length)] as number)]
      const stored = new KeySet(later, 0, { sorted: sortedHashes(lists), drop: dropped })
      const plain = new KeySet([...kept, ...later])
      for (const h of pool) expect(stored.has(h)).toBe(plain.has(h))
      sameAnswers(stored, plain, pool, rand, 300)
    }
  })
})
