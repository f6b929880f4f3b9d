import { existsSync } from 'node:fs'
import { pruneStale, writeFileAtomic } from '../cache/store.js'
import { envStamp, type Memo, memoFile } from './render-memo.js'
import type { Rendered } from '../render/types.js'
import type { RenderRecord } from './render-record.js'

/**
 * Leaving a render's line as a memo (./render-memo.ts). A line depends on the time (countdowns,
 * ages, the pace mark, when an account falls due), so the memo holds for the span in which
 * rendering again from the same inputs gives the same line: rendering at later instants finds it.
 * Everything a line shows from the time moves one way (a countdown only falls, an age only grows,
 * an account once due stays due until a refresh rewrites its entry), so a line that differs at
 * one instant differs at every later one, and a binary search finds the first change. The span
 * is at most a minute, and a line that changes within a second is not kept.
 */

export const HORIZON_MS = 60_000
const MIN_SPAN_MS = 1_000
/** The search stops within a second of the change: the memo's last second renders anew. */
const RESOLUTION_MS = 1_000
/** Memos of calls not seen for a day go (a bar that was reconfigured, a command run once by hand). */
const UNUSED_MS = 86_400_000

/**
 * The end of the span from `nowMs` in which `same(t)` holds, to within a second (six renders), or
 * null when it is under a second. A line that holds for the whole horizon ends just before it.
 */
export function validUntil(nowMs: number, same: (t: number) => boolean): number | null {
  let lo = nowMs
  let hi = nowMs + HORIZON_MS
  while (hi - lo > RESOLUTION_MS) {
    const mid = Math.floor((lo + hi) / 2)
    if (same(mid)) lo = mid
    else hi = mid
  }
  return lo - nowMs >= MIN_SPAN_MS ? lo : null
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
  line: Rendered,
  nowMs: number,
  renderAt: (t: number) => Rendered | null,
): void {
  try {
    if (record.tainted) return
    const same = (t: number) => {
      const again = renderAt(t)
      return again !== null && again.text === line.text && again.exitCode === line.exitCode
    }
    record.replaying = true
    const until = validUntil(nowMs, same)
    record.replaying = false
    // What follows writes the memo: nothing for the record (stamps, taints) to see.
    record.active = false
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
    if (!known) pruneStale(file, UNUSED_MS)
  } catch {}
}
