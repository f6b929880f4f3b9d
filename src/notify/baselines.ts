import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../cache/store.js'
import { isRec, num, strOrNull } from '../hand-check.js'
import type { Baselines, WindowBaseline } from './edges.js'

/**
 * Notification baselines, one file per account under `$XDG_STATE_HOME/quotabar/notify/`: state
 * that must outlive a cache wipe, or a wiped cache would announce every crossing again. The
 * login's fingerprint is kept too: another login in the same directory starts from scratch.
 */

export interface StoredBaselines {
  fingerprint: string | null
  windows: Baselines
}

/**
 * The file as written (`{ v: 1, key, fingerprint, windows: { <id>: WindowBaseline } }`), checked
 * by hand (no zod where Claude Code's status-line hook brings new numbers): null unless every
 * field has its type, the rank is a whole 0-3. test/live/baselines.test.ts holds it to the schema
 * it replaced.
 */
export function baselinesOf(json: unknown, key: string): StoredBaselines | null {
  if (
    !isRec(json) ||
    json.v !== 1 ||
    json.key !== key ||
    !strOrNull(json.fingerprint) ||
    !isRec(json.windows)
  )
    return null
  const windows: [string, WindowBaseline][] = []
  for (const [id, w] of Object.entries(json.windows)) {
    const baseline = windowBaselineOf(w)
    if (!baseline) return null
    windows.push([id, baseline])
  }
  return { fingerprint: json.fingerprint, windows: Object.fromEntries(windows) }
}

function windowBaselineOf(w: unknown): WindowBaseline | null {
  if (!isRec(w)) return null
  const { resetsAt, rank, usedPercent, paced } = w
  const ok =
    strOrNull(resetsAt) &&
    num(rank) &&
    Number.isInteger(rank) &&
    rank >= 0 &&
    rank <= 3 &&
    num(usedPercent) &&
    (paced === undefined || typeof paced === 'boolean')
  if (!ok) return null
  return paced === undefined ? { resetsAt, rank, usedPercent } : { resetsAt, rank, usedPercent, paced }
}

export const baselinePath = (stateDir: string, key: string) =>
  join(stateDir, 'notify', `${key.replace('/', '~')}.json`)

/** Missing or damaged: null, which means "first sight" (baselines are set, nothing is announced). */
export function readBaselines(stateDir: string, key: string): StoredBaselines | null {
  try {
    return baselinesOf(JSON.parse(readFileSync(baselinePath(stateDir, key), 'utf8')), key)
  } catch {
    return null
  }
}

export function writeBaselines(stateDir: string, key: string, stored: StoredBaselines): void {
  writeFileAtomic(baselinePath(stateDir, key), `${JSON.stringify({ v: 1, key, ...stored })}\n`)
}
