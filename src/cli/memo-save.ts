import { existsSync, readdirSync, statSync, unlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { writeFileAtomic } from '../cache/store.js'
import { envStamp, type Memo, memoFile } from './render-memo.js'
import type { RenderRecord } from './render-record.js'

/**
 * Leaving a render's line as a memo (./render-memo.ts). A line depends on the time (countdowns,
 * ages, the pace mark, when an account falls due), so the memo holds for the span in which
 * rendering again from the same inputs gives the same line: rendering at later instants finds it.
 * Everything a line shows from the time moves one way (a countdown only falls, an age only grows,
 * an account once due stays due until a refresh rewrites its entry), so a line that differs at
 * one instant differs at every later one: the first change can be searched for. The span is at
 * most a minute, and a line that changes within a second is not kept.
 */

export const HORIZON_MS = 60_000
const MIN_SPAN_MS = 1_000
/** A binary search stops within a second of the change: the memo's last second renders anew. */
const RESOLUTION_MS = 1_000
/** Guesses tried before the binary search (timeHints): each costs a render. */
const MAX_GUESSES = 4
/** Memos of calls not seen for a day go (a bar that was reconfigured, a command run once by hand). */
const UNUSED_MS = 86_400_000

/**
 * The end of the span from `nowMs` in which `same(t)` holds, or null when it is under a second.
 * `guesses` are instants where the line may well change (timeHints): each is tried just after,
 * and the first where the line differs is tried just before; a change found there is known to the
 * millisecond in two renders. The binary search covers what the guesses miss.
 */
export function validUntil(
  nowMs: number,
  same: (t: number) => boolean,
  guesses: readonly number[] = [],
): number | null {
  const end = nowMs + HORIZON_MS
  if (same(end)) return end
  let lo = nowMs
  let hi = end
  for (const g of guesses.slice(0, MAX_GUESSES)) {
    if (g - 1 <= lo || g + 1 >= hi) continue
    if (same(g + 1)) lo = g + 1
    else if (same(g - 1)) {
      lo = g - 1
      hi = g + 1
    } else hi = g - 1
  }
  if (lo === nowMs) {
    if (hi <= nowMs + MIN_SPAN_MS || !same(nowMs + MIN_SPAN_MS)) return null
    lo = nowMs + MIN_SPAN_MS
  }
  while (hi - lo > RESOLUTION_MS) {
    const mid = Math.floor((lo + hi) / 2)
    if (same(mid)) lo = mid
    else hi = mid
  }
  return lo - nowMs >= MIN_SPAN_MS ? lo : null
}

const ISO_TIME = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))"/g

/**
 * Instants after `nowMs` (within the horizon, sorted) where a line drawn from these file texts
 * is likely to change: a duration is shown rounded to the second and cut to the minute, so a
 * countdown to a time A ticks at A − 60k + 0.5 s, an age since A at A + 60k − 0.5 s, and an
 * interval of whole minutes from A ends at A + 60k. Only a guide: validUntil checks each.
 */
export function timeHints(texts: readonly string[], nowMs: number): number[] {
  const out = new Set<number>()
  for (const text of texts) {
    for (const m of text.matchAll(ISO_TIME)) {
      const a = Date.parse(m[1] as string)
      if (Number.isNaN(a)) continue
      for (const offset of [500, -500, 0]) {
        const phase = (((a + offset - nowMs) % 60_000) + 60_000) % 60_000
        const t = nowMs + (phase === 0 ? 60_000 : phase)
        if (t - nowMs > MIN_SPAN_MS) out.add(t)
      }
    }
  }
  return [...out].sort((x, y) => x - y)
}

export interface Line {
  text: string
  exitCode: number
}

/**
 * Writes the memo of a line rendered at `nowMs` when the run stayed a plain read. `renderAt(t)`
 * renders again as at instant t (null when that render would do more than read: start a refresh,
 * warn). Never throws: a memo is only a saving.
 */
export function saveMemo(
  record: RenderRecord,
  cacheDir: string,
  key: string,
  line: Line,
  nowMs: number,
  renderAt: (t: number) => Line | null,
): void {
  try {
    if (record.tainted) return
    const same = (t: number) => {
      const again = renderAt(t)
      return again !== null && again.text === line.text && again.exitCode === line.exitCode
    }
    const until = validUntil(nowMs, same, timeHints(record.texts, nowMs))
    if (until === null || record.tainted) return
    const memo: Memo = {
      v: 1,
      key,
      env: [...record.env].map(([name, value]) => [name, envStamp(value)]),
      from: nowMs,
      until,
      out: line.text,
      code: line.exitCode,
      inputs: [...record.inputs],
    }
    const file = memoFile(cacheDir, key)
    const known = existsSync(file)
    writeFileAtomic(file, JSON.stringify(memo))
    // A call seen before only replaces its memo: the directory grows, and is pruned, by new ones.
    if (!known) pruneUnused(dirname(file), file)
  } catch {}
}

/**
 * Memo files untouched for a day are removed: a memo in use is rewritten at least once a span.
 * File times are the real clock's, so this compares with it, not with a pinned QUOTABAR_NOW.
 */
function pruneUnused(dir: string, own: string): void {
  const nowMs = Date.now()
  for (const name of readdirSync(dir)) {
    try {
      const path = join(dir, name)
      if (path !== own && nowMs - statSync(path).mtimeMs > UNUSED_MS) unlinkSync(path)
    } catch {}
  }
}
