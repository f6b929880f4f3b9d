import { isRec, nullish, num, str } from '../hand-check.js'
import type { UsageWindow } from '../model.js'

/**
 * The JSON Claude Code pipes to a status-line command (providers-claude-codex-admin-logs.md §7
 * item 7): `model`, `workspace`, `cost`, ... and, since 2.1.80 for Claude.ai subscribers after the
 * session's first API response, `rate_limits.{five_hour,seven_day}.{used_percentage, resets_at}`
 * with `resets_at` in Unix seconds. Every part is parsed on its own, so one odd field never costs
 * the others; ISO strings and Unix milliseconds are accepted too, in case the shape drifts.
 * Checked by hand, as a zod schema would (no zod on a redraw: test/hook/claude-statusline.test.ts
 * holds it to the schema it replaced).
 */

const FIVE_HOURS = 5 * 3600
const WEEK = 7 * 86400

/** A number, or a string of one (`"42"`, `"-1.5"`). */
const numeric = (v: unknown): number | null =>
  num(v) ? v : str(v) && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : null

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

const time = (v: unknown): v is number | string => num(v) || str(v)

/** `{ id?, display_name? }`: the name to show, or null. */
function modelName(raw: unknown): string | null {
  if (!isRec(raw) || !nullish(raw.id, str) || !nullish(raw.display_name, str)) return null
  return raw.display_name?.trim() || raw.id?.trim() || null
}

export interface StatuslineInput {
  /** `Opus 4.1`; the id when there is no display name. */
  model: string | null
  /** `session` and `weekly`, only those Claude Code reported. */
  windows: UsageWindow[]
}

function toWindow(id: string, label: string, seconds: number, raw: unknown): UsageWindow | null {
  if (!isRec(raw)) return null
  const used = numeric(raw.used_percentage)
  const resets = raw.resets_at
  if (used === null || !Number.isFinite(used) || !nullish(resets, time)) return null
  return {
    id,
    label,
    usedPercent: Math.min(100, Math.max(0, used)),
    resetsAt: resets === null || resets === undefined ? null : toIsoTime(resets),
    windowSeconds: seconds,
  }
}

const field = (obj: unknown, key: string): unknown =>
  isRec(obj) ? Object.getOwnPropertyDescriptor(obj, key)?.value : undefined

/** Never throws: text that is not JSON, or JSON of another shape, reads as "nothing known". */
export function parseStatuslineInput(text: string): StatuslineInput {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { model: null, windows: [] }
  }
  const name = modelName(field(raw, 'model'))
  const limits = field(raw, 'rate_limits')
  const windows = [
    toWindow('session', '5h', FIVE_HOURS, field(limits, 'five_hour')),
    toWindow('weekly', '7d', WEEK, field(limits, 'seven_day')),
  ].filter((w): w is UsageWindow => w !== null)
  return { model: name, windows }
}
