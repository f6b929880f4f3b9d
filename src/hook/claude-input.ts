import { z } from 'zod'
import type { UsageWindow } from '../model.js'

/**
 * The JSON Claude Code pipes to a status-line command (providers-claude-codex-admin-logs.md §7
 * item 7): `model`, `workspace`, `cost`, ... and, since 2.1.80 for Claude.ai subscribers after the
 * session's first API response, `rate_limits.{five_hour,seven_day}.{used_percentage, resets_at}`
 * with `resets_at` in Unix seconds. Every part is parsed on its own, so one odd field never costs
 * the others; ISO strings and Unix milliseconds are accepted too, in case the shape drifts.
 */

const FIVE_HOURS = 5 * 3600
const WEEK = 7 * 86400

const numeric = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
])

/** Unix seconds (or milliseconds, or an ISO string) → ISO, or null when it is not a time. */
export function toIsoTime(value: number | string): string | null {
  const n = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN
  // 1e11 s is the year 5138; anything larger is milliseconds.
  const ms = Number.isFinite(n)
    ? n > 1e11
      ? n
      : n * 1000
    : Date.parse(String(value).replace(/(\.\d{3})\d+/, '$1'))
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null
}

const limitSchema = z.object({
  used_percentage: numeric,
  resets_at: z.union([z.number(), z.string()]).nullish(),
})

const modelSchema = z.object({ id: z.string().nullish(), display_name: z.string().nullish() })

export interface StatuslineInput {
  /** `Opus 4.1`; the id when there is no display name. */
  model: string | null
  /** `session` and `weekly`, only those Claude Code reported. */
  windows: UsageWindow[]
}

function toWindow(id: string, label: string, seconds: number, raw: unknown): UsageWindow | null {
  const parsed = limitSchema.safeParse(raw)
  if (!parsed.success || !Number.isFinite(parsed.data.used_percentage)) return null
  const { used_percentage, resets_at } = parsed.data
  return {
    id,
    label,
    usedPercent: Math.min(100, Math.max(0, used_percentage)),
    resetsAt: resets_at === null || resets_at === undefined ? null : toIsoTime(resets_at),
    windowSeconds: seconds,
  }
}

const field = (obj: unknown, key: string): unknown =>
  typeof obj === 'object' && obj !== null && !Array.isArray(obj)
    ? Object.getOwnPropertyDescriptor(obj, key)?.value
    : undefined

/** Never throws: text that is not JSON, or JSON of another shape, reads as "nothing known". */
export function parseStatuslineInput(text: string): StatuslineInput {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { model: null, windows: [] }
  }
  const model = modelSchema.safeParse(field(raw, 'model'))
  const name = model.success ? model.data.display_name?.trim() || model.data.id?.trim() || null : null
  const limits = field(raw, 'rate_limits')
  const windows = [
    toWindow('session', '5h', FIVE_HOURS, field(limits, 'five_hour')),
    toWindow('weekly', '7d', WEEK, field(limits, 'seven_day')),
  ].filter((w): w is UsageWindow => w !== null)
  return { model: name, windows }
}
