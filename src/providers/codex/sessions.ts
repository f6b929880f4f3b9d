import { z } from 'zod'
import { epochMs } from '../plain-parts.js'
import { instant } from '../schema-parts.js'
import type { UsageSnapshot, UsageWindow } from '../../model.js'
import { newestRollouts, tailLines } from './rollouts.js'
import { creditsSchema } from './usage.js'
import { type LengthHint, planLabel, type Reading, slug, windowsOf, withCredits } from './windows.js'

/**
 * The zero-network source (spec §2.3): the newest `token_count` event's `rate_limits` in
 * `<CODEX_HOME>/sessions/YYYY/MM/DD/rollout-*.jsonl`, scanned from the end of the newest files
 * (./rollouts.ts bounds the reading). Malformed lines are skipped, not errors.
 */

const logWindow = z
  .object({
    used_percent: z.number().nullish(),
    window_minutes: z.number().nullish(),
    resets_at: z.number().nullish(),
    resets_in_seconds: z.number().nullish(),
  })
  .nullish()

const rateLimitsSchema = z.object({
  limit_id: z.string().nullish(),
  limit_name: z.string().nullish(),
  primary: logWindow,
  secondary: logWindow,
  plan_type: z.string().nullish(),
  credits: creditsSchema.catch(null),
  // The Sept-2025 flat form.
  primary_used_percent: z.number().nullish(),
  secondary_used_percent: z.number().nullish(),
  primary_window_minutes: z.number().nullish(),
  secondary_window_minutes: z.number().nullish(),
  primary_reset_after_seconds: z.number().nullish(),
  secondary_reset_after_seconds: z.number().nullish(),
})

const lineSchema = z.object({
  // ISO in every capture; epoch milliseconds from some builds and re-serialisations.
  timestamp: instant,
  payload: z.object({ type: z.literal('token_count'), rate_limits: rateLimitsSchema.nullish() }),
})

type RateLimits = z.output<typeof rateLimitsSchema>
type LogWindow = z.output<typeof logWindow>

interface Found {
  atMs: number
  limits: RateLimits
}

/** `resets_at` is unix seconds; `resets_in_seconds` counts from the line's own timestamp, not now. */
function reading(w: LogWindow, atMs: number): Reading | null {
  if (w?.used_percent === null || w?.used_percent === undefined) return null
  const at = w.resets_at && w.resets_at > 0 ? epochMs(w.resets_at) : null
  const after = w.resets_in_seconds ?? (at !== null ? (at - atMs) / 1000 : null)
  const resetMs = at ?? (after !== null ? atMs + after * 1000 : null)
  const reset = resetMs === null ? null : new Date(resetMs)
  const minutes = w.window_minutes
  return {
    usedPercent: w.used_percent,
    seconds: minutes && minutes > 0 ? minutes * 60 : null,
    resetsAt: reset && !Number.isNaN(reset.getTime()) ? reset.toISOString() : null,
    resetAfter: after,
  }
}

function limitWindows(f: Found): UsageWindow[] {
  const l = f.limits
  // Sept-2025 lines are flat: `primary_used_percent`, `primary_window_minutes`, ...
  const flat = !l.primary && !l.secondary
  const slot = (s: 'primary' | 'secondary'): LogWindow =>
    flat
      ? {
          used_percent: l[`${s}_used_percent`],
          window_minutes: l[`${s}_window_minutes`],
          resets_in_seconds: l[`${s}_reset_after_seconds`],
        }
      : l[s]
  const id = l.limit_id && l.limit_id !== 'codex' ? l.limit_id : null
  const name = l.limit_name || id
  const scope = id && name ? { slug: slug(name), name } : null
  return windowsOf(reading(slot('primary'), f.atMs), reading(slot('secondary'), f.atMs), scope, null)
}

function parseLine(line: string): Found | null {
  // Cheap filter first: most lines are messages and tool output.
  if (!line.includes('"token_count"') || !line.includes('"rate_limits"')) return null
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch {
    return null // a line still being written
  }
  const parsed = lineSchema.safeParse(json)
  if (!parsed.success || !parsed.data.payload.rate_limits) return null
  const atMs = Date.parse(parsed.data.timestamp)
  return Number.isNaN(atMs) ? null : { atMs, limits: parsed.data.payload.rate_limits }
}

/**
 * The newest account-wide reading (`limit_id` "codex" or none) plus the newest reading of each
 * other limit id seen on the way. `rate_limits: null` lines carry nothing: keep looking.
 */
export function readLogSnapshot(
  codexHome: string,
  meta: { plan: string | null; email: string | null },
): UsageSnapshot | null {
  const others = new Map<string, Found>()
  for (const file of newestRollouts(codexHome)) {
    const lines = tailLines(file)
    let main: Found | null = null
    for (let i = lines.length - 1; i >= 0; i--) {
      const found = parseLine(lines[i] ?? '')
      if (!found) continue
      const id = found.limits.limit_id
      if (!id || id === 'codex') main ??= found
      else if (!others.has(id)) others.set(id, found)
    }
    if (!main) continue
    const windows = limitWindows(main)
    for (const f of others.values()) windows.push(...limitWindows(f))
    return {
      fetchedAt: new Date(main.atMs).toISOString(),
      plan: withCredits(planLabel(main.limits.plan_type) ?? meta.plan, main.limits.credits),
      email: meta.email,
      windows,
      spend: [],
    }
  }
  return null
}

/** Window lengths from the logs, matched by reset time, for endpoint payloads that leave them out. */
export function lengthHintFromLogs(codexHome: string): LengthHint {
  let windows: UsageWindow[] | null = null
  return (resetsAt) => {
    windows ??= readLogSnapshot(codexHome, { plan: null, email: null })?.windows ?? []
    const t = Date.parse(resetsAt)
    const match = windows.find(
      (w) => w.windowSeconds && w.resetsAt && Math.abs(Date.parse(w.resetsAt) - t) <= 5 * 60_000,
    )
    return match?.windowSeconds ?? null
  }
}
