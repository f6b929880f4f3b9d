import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../cache/store.js'
import type { Baselines } from './edges.js'

/**
 * Notification baselines, one file per account under `$XDG_STATE_HOME/quotabar/notify/`: state
 * that must outlive a cache wipe, or a wiped cache would announce every crossing again. The
 * login's fingerprint is kept too: another login in the same directory starts from scratch.
 */

const fileSchema = z.object({
  v: z.literal(1),
  key: z.string(),
  fingerprint: z.string().nullable(),
  windows: z.record(
    z.string(),
    z.object({
      resetsAt: z.string().nullable(),
      rank: z.number().int().min(0).max(3),
      usedPercent: z.number(),
      paced: z.boolean().optional(),
    }),
  ),
})

export interface StoredBaselines {
  fingerprint: string | null
  windows: Baselines
}

export const baselinePath = (stateDir: string, key: string) =>
  join(stateDir, 'notify', `${key.replace('/', '~')}.json`)

/** Missing or damaged: null, which means "first sight" (baselines are set, nothing is announced). */
export function readBaselines(stateDir: string, key: string): StoredBaselines | null {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(baselinePath(stateDir, key), 'utf8')))
    if (!parsed.success || parsed.data.key !== key) return null
    return { fingerprint: parsed.data.fingerprint, windows: parsed.data.windows }
  } catch {
    return null
  }
}

export function writeBaselines(stateDir: string, key: string, stored: StoredBaselines): void {
  writeFileAtomic(baselinePath(stateDir, key), `${JSON.stringify({ v: 1, key, ...stored })}\n`)
}
