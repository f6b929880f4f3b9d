/**
 * One part of a big set of 52-bit hashes (hash.ts's SplitHashSet), stored in 6 bytes a slot
 * instead of 8: every hash of a part has the same top PART_BITS bits (they chose the part), so a
 * slot keeps only the rest, the low 32 bits and the next TAG_BITS, and nothing is lost (no two
 * hashes can share a slot's contents). Open addressing with linear probing; the capacity grows by
 * half when 80 % full (no power of two needed: the home slot is a multiply-shift of the hash),
 * so that a dense history's millions of request keys take about 9 bytes each. 32 parts: each
 * grows in steps big enough to be its own mapping, returned whole when freed (hundreds of small
 * parts, freed and grown again and again, leave the allocator's heap fragmented: RSS grows).
 */

export const TAG_BITS = 15
/** Of the hash's top 20 bits (above its low 32), the ones that pick the part. */
export const PART_BITS = 20 - TAG_BITS
const MAX_LOAD = 0.8

/**
 * Backward-shift deletion (both hash sets here): after emptying slot i, the entry at j stays where
 * it is when its home slot lies cyclically in (i, j].
 */
export const staysPut = (i: number, j: number, home: number) =>
  i <= j ? i < home && home <= j : i < home || home <= j

const lowOf = (h: number) => h >>> 0
/** 1..2^TAG_BITS: 0 marks an empty slot. */
const tagOf = (h: number) => (Math.floor(h / 0x100000000) & ((1 << TAG_BITS) - 1)) + 1

export class CompactPart {
  private lows: Uint32Array
  private tags: Uint16Array
  private count = 0

  constructor(expected = 0) {
    const cap = Math.max(8, Math.ceil(expected / MAX_LOAD) + 1)
    this.lows = new Uint32Array(cap)
    this.tags = new Uint16Array(cap)
  }

  /** Slot where a hash with these low bits starts probing: the top 21 bits scaled to the capacity (exact). */
  private home(low: number, cap: number): number {
    return Math.floor(((low >>> 11) * cap) / 0x200000)
  }

  has(h: number): boolean {
    const low = lowOf(h)
    const tag = tagOf(h)
    const cap = this.tags.length
    for (let i = this.home(low, cap); ; i = i + 1 === cap ? 0 : i + 1) {
      const t = this.tags[i]
      if (t === 0) return false
      if (t === tag && this.lows[i] === low) return true
    }
  }

  /** True when it was not there yet. */
  add(h: number): boolean {
    if (this.count + 1 > this.tags.length * MAX_LOAD) this.grow()
    const low = lowOf(h)
    const tag = tagOf(h)
    const cap = this.tags.length
    for (let i = this.home(low, cap); ; i = i + 1 === cap ? 0 : i + 1) {
      const t = this.tags[i]
      if (t === 0) {
        this.place(i, tag, low)
        this.count++
        return true
      }
      if (t === tag && this.lows[i] === low) return false
    }
  }

  /** True when it was there. Backward-shift deletion keeps every probe chain unbroken. */
  delete(h: number): boolean {
    const low = lowOf(h)
    const tag = tagOf(h)
    const cap = this.tags.length
    const next = (i: number) => (i + 1 === cap ? 0 : i + 1)
    let i = this.home(low, cap)
    for (; !(this.tags[i] === tag && this.lows[i] === low); i = next(i)) if (this.tags[i] === 0) return false
    for (let j = next(i); this.tags[j] !== 0; j = next(j)) {
      if (staysPut(i, j, this.home(this.lows[j] as number, cap))) continue
      this.place(i, this.tags[j] as number, this.lows[j] as number)
      i = j
    }
    this.place(i, 0, 0)
    this.count--
    return true
  }

  private place(i: number, tag: number, low: number): void {
    this.tags[i] = tag
    this.lows[i] = low
  }

  get size(): number {
    return this.count
  }

  private grow(): void {
    const { lows, tags } = this
    const cap = Math.ceil(tags.length * 1.5)
    this.lows = new Uint32Array(cap)
    this.tags = new Uint16Array(cap)
    for (let i = 0; i < tags.length; i++) {
      const t = tags[i] as number
      if (t === 0) continue
      const low = lows[i] as number
      let j = this.home(low, cap)
      while (this.tags[j] !== 0) j = j + 1 === cap ? 0 : j + 1
      this.place(j, t, low)
    }
  }
}
