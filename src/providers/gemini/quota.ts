import { z } from 'zod'
import { keptArray } from '../../kept.js'
import { isoTime, numberish } from '../schema-parts.js'
import type { UsageSnapshot, UsageWindow } from '../../model.js'

/**
 * `POST v1internal:retrieveUserQuota` (providers spec §2.4): one daily bucket per model and
 * token type. Only the fields used are declared; `remainingAmount` gives an absolute count that
 * the neutral model has no place for, so it is not read.
 */

export const quotaSchema = z.object({
  // One model's bucket that does not parse drops only that bucket (src/kept.ts).
  buckets: keptArray(
    z.object({ modelId: z.string().nullish(), remainingFraction: numberish, resetTime: isoTime }),
    'bucket',
  ).nullish(),
})

export type UserQuota = z.output<typeof quotaSchema>

const DAY = 86400
// `remainingFraction: 0` with a 1970 reset means "not on this tier", not "exhausted" (§2.4).
const PLACEHOLDER_BEFORE = Date.UTC(2000, 0, 1)

const usedPercent = (remaining: number) =>
  Math.round(Math.min(100, Math.max(0, (1 - remaining) * 100)) * 100) / 100

const windowId = (model: string) => `model:${model.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`

/** `gemini-2.5-flash` → `2.5-flash`; `-preview` goes too unless that makes two labels equal. */
export function modelLabels(models: string[]): string[] {
  const medium = models.map((m) => m.replace(/^gemini-/i, ''))
  const short = medium.map((m) => m.replace(/-preview$/i, ''))
  return short.map((s, i) => (short.filter((x) => x === s).length > 1 ? (medium[i] ?? s) : s))
}

export function mapQuota(
  q: UserQuota,
  meta: { fetchedAt: string; plan: string | null; email: string | null },
): UsageSnapshot {
  // Several buckets per model (one per token type): the lowest remaining numberish decides.
  const byModel = new Map<string, { model: string; remaining: number; resetsAt: string | null }>()
  for (const b of q.buckets ?? []) {
    if (!b.modelId || b.remainingFraction === null || b.remainingFraction === undefined) continue
    if (b.resetTime && Date.parse(b.resetTime) < PLACEHOLDER_BEFORE) continue
    const id = windowId(b.modelId)
    const seen = byModel.get(id)
    if (!seen || b.remainingFraction < seen.remaining) {
      byModel.set(id, { model: b.modelId, remaining: b.remainingFraction, resetsAt: b.resetTime ?? null })
    }
  }
  const entries = [...byModel]
  const labels = modelLabels(entries.map(([, e]) => e.model))
  const windows = entries.map(
    ([id, e], i): UsageWindow => ({
      id,
      label: labels[i] ?? e.model,
      usedPercent: usedPercent(e.remaining),
      resetsAt: e.resetsAt,
      windowSeconds: DAY,
    }),
  )
  return { ...meta, windows, spend: [] }
}
