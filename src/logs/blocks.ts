import { addTotals, BUCKET_MS, emptyTotals, FIRST, LAST, type Totals } from './totals.js'

/**
 * ccusage's 5-hour session blocks (spec §5.1, `session-blocks.ts`): the first request opens a
 * block at its UTC hour; a request more than 5 h after the block's start, or more than 5 h after
 * the previous request, opens the next one, with a gap block in between. This is an estimate of
 * Claude's own 5-hour window (the OAuth `five_hour.resets_at` is authoritative).
 *
 * Input is 15-minute buckets, not single requests: a bucket never straddles a block's end (both
 * are whole quarter hours), so the result is the same, except that a request at exactly the
 * 5-hour mark opens the next block when later requests share its bucket (ccusage keeps it).
 */

export const BLOCK_MS = 5 * 3_600_000
const HOUR_MS = 3_600_000

export interface Block {
  start: number
  end: number
  /** First and last request in the block (for a gap block: the surrounding requests). */
  first: number
  last: number
  gap: boolean
  totals: Totals
}

/** One bucket's sums over all models, with its first and last request time. */
export interface Slot {
  bucket: number
  totals: Totals
}

export function sessionBlocks(slots: readonly Slot[]): Block[] {
  const sorted = [...slots].sort((a, b) => a.bucket - b.bucket)
  const blocks: Block[] = []
  let cur: Block | null = null
  for (const s of sorted) {
    const first = s.totals[FIRST] ?? s.bucket * BUCKET_MS
    const last = s.totals[LAST] ?? first
    if (cur && (last - cur.start > BLOCK_MS || first - cur.last > BLOCK_MS)) {
      blocks.push(cur)
      if (first - cur.last > BLOCK_MS) {
        const gapStart = cur.last + BLOCK_MS
        blocks.push({
          start: gapStart,
          end: first,
          first: cur.last,
          last: first,
          gap: true,
          totals: emptyTotals(),
        })
      }
      cur = null
    }
    if (!cur) {
      const start = first - (first % HOUR_MS)
      cur = { start, end: start + BLOCK_MS, first, last, gap: false, totals: emptyTotals() }
    }
    cur.last = Math.max(cur.last, last)
    addTotals(cur.totals, s.totals)
  }
  if (cur) blocks.push(cur)
  return blocks
}

/** The block still running at `now`: its last request under 5 h ago and its end not yet reached. */
export function activeBlock(blocks: readonly Block[], now: number): Block | null {
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i]
    if (b && !b.gap) return now - b.last < BLOCK_MS && now < b.end ? b : null
  }
  return null
}
