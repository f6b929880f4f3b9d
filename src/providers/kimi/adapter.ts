import { z } from 'zod'
import type { UsageWindow } from '../../model.js'
import { type KeyReading, keyAdapter } from '../balance.js'
import { quotaWindow, type WindowKind, uniqueIds } from '../quota-window.js'
import { isoTime, numberish } from '../schema-parts.js'
import type { ProviderAdapter } from '../types.js'
import { KIMI_KEY_ENV } from './descriptor.js'
import { kimiIdentity, readKimiLogin } from './login.js'

/**
 * Kimi Code plan: `GET https://api.kimi.com/coding/v1/usages` with a Kimi Code API key or the
 * CLI's login token. `usage` is the weekly quota; `limits[]` the rolling windows, each with its
 * length (`{duration: 300, timeUnit: "TIME_UNIT_MINUTE"}` is the 5-hour one). Counts are strings.
 */
export const KIMI_USAGE_URL = 'https://api.kimi.com/coding/v1/usages'

const detailSchema = z.object({
  limit: numberish,
  used: numberish,
  remaining: numberish,
  resetTime: isoTime,
})

export const kimiUsageSchema = z.object({
  usage: detailSchema.nullish(),
  limits: z
    .array(
      z.object({
        window: z.object({ duration: z.number().positive(), timeUnit: z.string() }).nullish(),
        detail: detailSchema.nullish(),
      }),
    )
    .nullish(),
})

type Detail = z.output<typeof detailSchema>

const UNIT_SECONDS: Record<string, number> = {
  TIME_UNIT_SECOND: 1,
  TIME_UNIT_MINUTE: 60,
  TIME_UNIT_HOUR: 3600,
  TIME_UNIT_DAY: 86400,
}

function kindOf(seconds: number): WindowKind | null {
  if (seconds === 5 * 3600) return 'session'
  if (seconds === 7 * 86400) return 'weekly'
  return null
}

/** Used share from the counts: `used`, else `limit − remaining`; no limit, no share. */
function percentOf(d: Detail): number | null {
  const limit = d.limit
  if (typeof limit !== 'number' || limit <= 0) return null
  const used = d.used ?? (typeof d.remaining === 'number' ? limit - d.remaining : null)
  return used === null ? null : (used / limit) * 100
}

export function mapKimiUsage(body: z.output<typeof kimiUsageSchema>): KeyReading {
  const windows: UsageWindow[] = []
  for (const l of body.limits ?? []) {
    const seconds = l.window ? l.window.duration * (UNIT_SECONDS[l.window.timeUnit] ?? Number.NaN) : null
    const kind = seconds ? kindOf(seconds) : null
    const used = l.detail ? percentOf(l.detail) : null
    if (kind && used !== null) windows.push(quotaWindow(kind, used, l.detail?.resetTime ?? null))
  }
  const weekly = body.usage ? percentOf(body.usage) : null
  if (weekly !== null) windows.push(quotaWindow('weekly', weekly, body.usage?.resetTime ?? null))
  return { plan: null, windows: uniqueIds(windows) }
}

export const kimiAdapter = keyAdapter({
  id: 'kimi',
  name: 'Kimi',
  url: KIMI_USAGE_URL,
  keyEnv: KIMI_KEY_ENV,
  schema: kimiUsageSchema,
  login: readKimiLogin,
  identity: kimiIdentity,
  read: mapKimiUsage,
}) satisfies ProviderAdapter
