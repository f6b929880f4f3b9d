import { z } from 'zod'
import { kept, keptArray } from '../../kept.js'
import { isoTime, numberish } from '../schema-parts.js'
import type { SpendMeter, UsageSnapshot, UsageWindow } from '../../model.js'
import { monthSpend } from '../spend.js'

/**
 * `GET /api/oauth/usage` (providers-claude-codex-admin-logs.md §1.2). Every key is optional and
 * nullable and new codename keys appear monthly, so only the fields used are declared; unknown keys
 * are dropped by zod.
 */

// Each window, limit and money block is kept alone: a malformed one drops only itself (src/kept.ts).
const windowSchema = kept(z.object({ utilization: z.number().nullish(), resets_at: isoTime }), 'window')

const moneySchema = z.object({
  amount_minor: z.number(),
  currency: z.string().nullish(),
  exponent: z.number().int(),
})

const limitSchema = z.object({
  kind: z.string().nullish(),
  group: z.string().nullish(),
  percent: z.number().nullish(),
  resets_at: isoTime,
  scope: z
    .object({ model: z.object({ id: z.string().nullish(), display_name: z.string().nullish() }).nullish() })
    .nullish(),
})

export const usageSchema = z.object({
  five_hour: windowSchema,
  seven_day: windowSchema,
  seven_day_opus: windowSchema,
  seven_day_sonnet: windowSchema,
  seven_day_cowork: windowSchema,
  seven_day_routines: windowSchema,
  extra_usage: kept(
    z.object({
      is_enabled: z.boolean().nullish(),
      monthly_limit: numberish,
      monthly_credit_limit: numberish,
      used_credits: numberish,
      currency: z.string().nullish(),
      decimal_places: z.number().int().min(0).max(6).nullish(),
    }),
    'extra usage',
  ),
  limits: keptArray(limitSchema, 'limit').nullish(),
  spend: kept(
    z.object({ used: moneySchema.nullish(), limit: moneySchema.nullish(), enabled: z.boolean().nullish() }),
    'spend',
  ),
})

export type ClaudeUsage = z.output<typeof usageSchema>

const FIVE_HOURS = 5 * 3600
const WEEK = 7 * 86400

const clampPercent = (n: number) => Math.min(100, Math.max(0, n))

type Reported = { utilization?: number | null; resets_at?: string | null } | null | undefined

function toWindow(id: string, label: string, seconds: number, w: Reported): UsageWindow | null {
  // A null window (or null utilization) was not reported: absent, never 0 %.
  if (w?.utilization === null || w?.utilization === undefined) return null
  return {
    id,
    label,
    usedPercent: clampPercent(w.utilization),
    resetsAt: w.resets_at ?? null,
    windowSeconds: seconds,
  }
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'model'
  )
}

function modelWindows(u: ClaudeUsage): UsageWindow[] {
  // limits[] is the current source for per-model caps; the legacy keys only when it is absent.
  if (u.limits) {
    const out: UsageWindow[] = []
    for (const l of u.limits) {
      const name = l.scope?.model?.display_name
      if (l.kind !== 'weekly_scoped' || !name || l.percent === null || l.percent === undefined) continue
      out.push({
        id: `weekly:${slug(name)}`,
        label: name,
        usedPercent: clampPercent(l.percent),
        resetsAt: l.resets_at ?? null,
        windowSeconds: WEEK,
      })
    }
    return out
  }
  return [
    toWindow('weekly:sonnet', 'Sonnet', WEEK, u.seven_day_sonnet),
    toWindow('weekly:opus', 'Opus', WEEK, u.seven_day_opus),
  ].filter((w): w is UsageWindow => w !== null)
}

/**
 * The flat key, else limits[]: the first source that has a number. A flat window whose
 * utilization is null was not reported (emptied buckets while limits[] is live), like a missing key.
 */
function firstReported(flat: Reported, u: ClaudeUsage, kind: string): Reported {
  if (typeof flat?.utilization === 'number') return flat
  const l = u.limits?.find((x) => x.kind === kind && typeof x.percent === 'number')
  return l ? { utilization: l.percent, resets_at: l.resets_at ?? null } : null
}

function extraSpend(u: ClaudeUsage): SpendMeter | null {
  const money = u.spend
  if (money?.used && money.enabled === true) {
    const value = (m: { amount_minor: number; exponent: number }) => m.amount_minor / 10 ** m.exponent
    return monthSpend('extra', 'Extra usage', value(money.used), {
      limit: money.limit ? value(money.limit) : null,
      currency: (money.used.currency ?? 'USD').toUpperCase(),
    })
  }
  const x = u.extra_usage
  // is_enabled is the only reliable flag: utilization can read 0.0 while disabled.
  if (x?.is_enabled !== true) return null
  const scale = 10 ** (x.decimal_places ?? 2)
  const limit = x.monthly_limit ?? x.monthly_credit_limit
  return monthSpend('extra', 'Extra usage', (x.used_credits ?? 0) / scale, {
    limit: limit === null || limit === undefined ? null : limit / scale,
    currency: (x.currency ?? 'USD').toUpperCase(),
  })
}

export function mapUsage(
  u: ClaudeUsage,
  meta: { fetchedAt: string; plan: string | null; email: string | null },
) {
  const windows = [
    toWindow('session', '5h', FIVE_HOURS, firstReported(u.five_hour, u, 'session')),
    toWindow('weekly', '7d', WEEK, firstReported(u.seven_day, u, 'weekly_all')),
    ...modelWindows(u),
    toWindow('weekly:routines', 'Routines', WEEK, u.seven_day_routines ?? u.seven_day_cowork),
  ].filter((w): w is UsageWindow => w !== null)
  const extra = extraSpend(u)
  return { ...meta, windows, spend: extra ? [extra] : [] } satisfies UsageSnapshot
}
