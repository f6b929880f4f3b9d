import { CompactPart, PART_BITS, staysPut, TAG_BITS } from './compact-set.js'

/**
 * 52-bit string hashes and a flat set of them. Deduplication has to remember every message id of
 * every transcript (a resumed session copies old messages into a new file); as numbers in a
 * Float64Array that is 8 bytes a message, persisted as base64, instead of a Set of long strings.
 * Two independent 32-bit hashes make a collision (a request wrongly dropped) about 1 in 10^9 per
 * million messages.
 */

export function hash52(s: string): number {
  ha = 0x811c9dc5
  hb = 0x9747b28c
  mix(s)
  return finish()
}

/** The running state of the two 32-bit hashes. */
let ha = 0
let hb = 0

function mix(s: string): void {
  let a = ha
  let b = hb
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  ha = a
  hb = b
}

function finish(): number {
  let f = Math.imul(hb ^ (hb >>> 13), 0xc2b2ae35)
  f ^= f >>> 16
  return (ha & 0xfffff) * 0x100000000 + (f >>> 0)
}

/**
 * `[hash52(first), hash52(`${first}:${second}`)]` in one pass over `first` (the second hash goes
 * on from the first's state): a usage line's message id and request key, the hashing a refresh
 * does per line.
 */
export function hash52Pair(first: string, second: string): [number, number] {
  const one = hash52(first)
  mix(':')
  mix(second)
  return [one, finish()]
}

/**
 * Open addressing over a Float64Array; stores hash + 1 so that 0 marks an empty slot. Filled to
 * at most 70 %: linear probing stays short there, and a dense history's millions of keys take
 * half the memory (and cache) they would at 50 %.
 */
const MAX_LOAD = 0.7

export class HashSet52 {
  private slots: Float64Array
  private count = 0

  /**
   * Sized for `expected` entries up front: growing means rehashing everything. Without an
   * expectation it starts small: a scan makes a few per log file it reads (its own ids, what it
   * takes back), most of them nearly empty, and 8 KB each for thousands of files was a cold scan's
   * milliseconds of zeroed memory.
   */
  constructor(expected = 0) {
    let n = 64
    while (n * MAX_LOAD < expected) n *= 2
    this.slots = new Float64Array(n)
  }

  has(h: number): boolean {
    const mask = this.slots.length - 1
    const v = h + 1
    for (let i = (h >>> 0) & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i]
      if (s === 0) return false
      if (s === v) return true
    }
  }

  /** True when it was not there yet. */
  add(h: number): boolean {
    if (this.count + 1 > this.slots.length * MAX_LOAD) this.grow()
    const mask = this.slots.length - 1
    const v = h + 1
    for (let i = (h >>> 0) & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i]
      if (s === v) return false
      if (s === 0) {
        this.slots[i] = v
        this.count++
        return true
      }
    }
  }

  /** True when it was there. Backward-shift deletion keeps every probe chain unbroken. */
  delete(h: number): boolean {
    const mask = this.slots.length - 1
    const v = h + 1
    let i = (h >>> 0) & mask
    for (; this.slots[i] !== v; i = (i + 1) & mask) if (this.slots[i] === 0) return false
    for (let j = (i + 1) & mask; this.slots[j] !== 0; j = (j + 1) & mask) {
      const s = this.slots[j] as number
      if (staysPut(i, j, ((s - 1) >>> 0) & mask)) continue
      this.slots[i] = s
      i = j
    }
    this.slots[i] = 0
    this.count--
    return true
  }

  get size(): number {
    return this.count
  }

  forEach(f: (h: number) => void): void {
    for (const v of this.slots) if (v !== 0) f(v - 1)
  }

  private grow(): void {
    const old = this.slots
    this.slots = new Float64Array(old.length * 2)
    this.count = 0
    for (const v of old) if (v !== 0) this.add(v - 1)
  }
}

/** Past this many entries a SplitHashSet splits (1 MB of slots). */
const SPLIT_AT = 1 << 16
const PARTS = 1 << PART_BITS
/** The hash's top bits: each part holds hashes that agree on them (compact-set.ts). */
const partOf = (h: number) => Math.floor(h / 0x100000000) >>> TAG_BITS

/**
 * A HashSet52 for sets that may grow to millions (every request of a dense history): once big it
 * is split by the hash's top bits into PARTS compact sets (6 bytes a slot, growing by half, one at a
 * time), so that it takes about 9 bytes a hash instead of 11 to 23 and growing never holds the
 * whole set twice.
 */
export class SplitHashSet {
  private one: HashSet52 | null
  private parts: CompactPart[] | null = null

  constructor(expected = 0) {
    this.one = new HashSet52(Math.min(expected, SPLIT_AT))
  }

  private part(h: number): CompactPart {
    return (this.parts as CompactPart[])[partOf(h)] as CompactPart
  }

  has(h: number): boolean {
    return this.one ? this.one.has(h) : this.part(h).has(h)
  }

  add(h: number): boolean {
    if (!this.one) return this.part(h).add(h)
    const added = this.one.add(h)
    if (this.one.size > SPLIT_AT) this.split(this.one)
    return added
  }

  delete(h: number): boolean {
    return this.one ? this.one.delete(h) : this.part(h).delete(h)
  }

  get size(): number {
    return this.one ? this.one.size : (this.parts as CompactPart[]).reduce((n, p) => n + p.size, 0)
  }

  private split(one: HashSet52): void {
    const parts = Array.from({ length: PARTS }, () => new CompactPart((2 * one.size) / PARTS))
    one.forEach((h) => {
      parts[partOf(h)]?.add(h)
    })
    this.parts = parts
    this.one = null
  }
}

export function encodeHashes(hashes: readonly number[]): string {
  return Buffer.from(Float64Array.from(hashes).buffer).toString('base64')
}

export function decodeHashes(text: string | undefined): Float64Array {
  if (!text) return new Float64Array(0)
  const bytes = Buffer.from(text, 'base64')
  // Copied into an aligned buffer: a Float64Array view needs an offset that is a multiple of 8.
  const floats = new Float64Array(Math.floor(bytes.length / 8))
  new Uint8Array(floats.buffer).set(bytes.subarray(0, floats.length * 8))
  return floats
}

/** The lists one after another, in one new array. */
export function joinHashes(lists: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(lists.reduce((n, l) => n + l.length, 0))
  let at = 0
  for (const l of lists) {
    out.set(l, at)
    at += l.length
  }
  return out
}

export function sortedHashes(lists: readonly ArrayLike<number>[]): Float64Array {
  const out = joinHashes(lists)
  // For the non-negative integers hashes are, the bits sort in the same order as the values, and
  // V8 sorts a BigUint64Array several times faster than a Float64Array (~0.7 ms against 1.5–5 ms
  // for 17 000 hashes in a fresh process).
  new BigUint64Array(out.buffer, out.byteOffset, out.length).sort()
  return out
}

/** Where `h` is in the sorted `b`, or -1. */
function indexIn(b: Float64Array, h: number): number {
  let lo = 0
  let hi = b.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const v = b[mid] as number
    if (v === h) return mid
    if (v < h) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/**
 * Hashes a scan state keeps already sorted (a base record's: state-log.ts), with the lists it
 * holds that no longer count (files dropped or read again since): a refresh sorts nothing.
 */
export interface SortedBase {
  sorted: Float64Array
  drop: readonly ArrayLike<number>[]
}

/**
 * A set of hashes that starts from the lists a scan state holds: they are joined and sorted
 * (natively: no per-hash work in a fresh process's interpreter, which costs a refresh that
 * reads a few new lines more than those lines), found by binary search; what the scan adds lives
 * in a hash set beside them (split in parts when it grows to millions), what it takes out in a
 * small one. With a SortedBase, only the lists it does not
 * hold are sorted, and its dropped lists are taken out by count (one list may repeat another's
 * hash: a request taken back out is counted again elsewhere).
 */
export class KeySet {
  private readonly base: Float64Array
  private readonly stored: Float64Array
  /** How many times each hash of `stored` was dropped. */
  private readonly dropped = new Map<number, number>()
  private readonly added: HashSet52 | SplitHashSet
  /** Hashes of `base` or `stored` taken out. */
  private readonly gone = new HashSet52()

  constructor(lists: readonly ArrayLike<number>[] = [], expectedNew = 0, stored?: SortedBase) {
    this.base = sortedHashes(lists)
    this.stored = stored?.sorted ?? new Float64Array(0)
    for (const l of stored?.drop ?? []) {
      for (let i = 0; i < l.length; i++) {
        const h = l[i] as number
        this.dropped.set(h, (this.dropped.get(h) ?? 0) + 1)
      }
    }
    // A set expected to take new hashes may take millions (a cold scan); a file's own stays small.
    this.added = expectedNew > 0 ? new SplitHashSet(expectedNew) : new HashSet52()
  }

  private inStored(h: number): boolean {
    const s = this.stored
    const at = indexIn(s, h)
    if (at < 0) return false
    const dropped = this.dropped.get(h)
    if (dropped === undefined) return true
    let first = at
    while (first > 0 && s[first - 1] === h) first--
    let end = at + 1
    while (end < s.length && s[end] === h) end++
    return end - first > dropped
  }

  private inBase(h: number): boolean {
    return indexIn(this.base, h) >= 0 || this.inStored(h)
  }

  has(h: number): boolean {
    if (this.added.has(h)) return true
    return this.inBase(h) && !this.gone.has(h)
  }

  /** True when it was not there yet. */
  add(h: number): boolean {
    if (this.added.has(h)) return false
    if (this.inBase(h)) return this.gone.delete(h)
    return this.added.add(h)
  }

  /** True when it was there. */
  delete(h: number): boolean {
    if (this.added.delete(h)) return true
    return this.inBase(h) && this.gone.add(h)
  }
}
