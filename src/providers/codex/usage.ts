import { z } from 'zod'
import { kept, keptArray } from '../../kept.js'
import { epochMs } from '../plain-parts.js'
import { numberish } from '../schema-parts.js'
import type { SpendMeter, UsageSnapshot, UsageWindow } from '../../model.js'
import { resetCountsSchema, resetCreditMeter } from './reset-credits.js'
import {
  type LengthHint,
  planLabel,
  type Reading,
  type Scope,
  slug,
  windowsOf,
  withCredits,
} from './windows.js'
import { monthSpend } from '../spend.js'

/**
 * `GET /backend-api/wham/usage` (spec §2.2). A private API: every key optional and nullable, only
 * the fields used are declared, unknown keys are dropped by zod.
 */

// Unix seconds (milliseconds from some re-serialisations); 0 means "none". A value no Date can
// hold is a schema error, not a silent null.
const unixTime = z
  .number()
  .transform((n, ctx) => {
    if (n <= 0) return null
    const d = new Date(epochMs(n))
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: `not a unix time: ${n}` })
      return z.NEVER
    }
    return d.toISOString()
  })
  .nullish()

// Each window and spend pool is kept alone: a malformed one drops only itself (src/kept.ts).
const windowSchema = kept(
  z.object({
    used_percent: z.number().nullish(),
    limit_window_seconds: z.number().nullish(),
    reset_after_seconds: z.number().nullish(),
    reset_at: unixTime,
  }),
  'window',
)

const spendLimitSchema = kept(
  z.object({ limit: numberish, used: numberish, used_percent: z.number().nullish() }),
  'spend limit',
)

const rateLimitSchema = z
  .object({
    primary_window: windowSchema,
    secondary_window: windowSchema,
    individual_limit: spendLimitSchema,
  })
  .nullish()

export const creditsSchema = z
  .object({ has_credits: z.boolean().nullish(), unlimited: z.boolean().nullish(), balance: numberish })
  .nullish()

export const whamSchema = z.object({
  plan_type: z.string().nullish(),
  email: z.string().nullish(),
  rate_limit: rateLimitSchema,
  code_review_rate_limit: rateLimitSchema,
  additional_rate_limits: keptArray(
    z.object({
      limit_name: z.string().nullish(),
      metered_feature: z.string().nullish(),
      rate_limit: rateLimitSchema,
    }),
    'limit',
  ).nullish(),
  credits: creditsSchema,
  spend_control: z.object({ individual_limit: spendLimitSchema }).nullish(),
  individual_limit: spendLimitSchema,
  rate_limit_reset_credits: resetCountsSchema,
})

export type WhamUsage = z.output<typeof whamSchema>
type WhamWindow = z.output<typeof windowSchema>
type WhamRateLimit = z.output<typeof rateLimitSchema>

function reading(w: WhamWindow, nowMs: number): Reading | null {
  // A window without a percentage was not reported: absent, never 0 %.
  if (w?.used_percent === null || w?.used_percent === undefined) return null
  const after = w.reset_after_seconds ?? null
  const resetsAt = w.reset_at ?? (after !== null ? new Date(nowMs + after * 1000).toISOString() : null)
  const length = w.limit_window_seconds
  return {
    usedPercent: w.used_percent,
    seconds: length && length > 0 ? length : null,
    resetsAt,
    resetAfter: after ?? (w.reset_at ? (Date.parse(w.reset_at) - nowMs) / 1000 : null),
  }
}

function limitWindows(rl: WhamRateLimit, scope: Scope | null, nowMs: number, hint: LengthHint | null) {
  if (!rl) return []
  return windowsOf(reading(rl.primary_window, nowMs), reading(rl.secondary_window, nowMs), scope, hint)
}

/**
 * Team/Business spend pools, in credits (major units) per month. CodexBar's precedence: root,
 * then `rate_limit.individual_limit`, then `spend_control.individual_limit`.
 */
function spendLimit(u: WhamUsage): SpendMeter | null {
  const l = u.individual_limit ?? u.rate_limit?.individual_limit ?? u.spend_control?.individual_limit
  if (!l) return null
  const limit = l.limit ?? null
  const used =
    l.used ?? (limit !== null && typeof l.used_percent === 'number' ? (limit * l.used_percent) / 100 : null)
  if (used === null) return null
  return monthSpend('spend-limit', 'Spend limit', used, { limit, currency: 'credits' })
}

export function mapUsage(
  u: WhamUsage,
  meta: {
    now: Date
    plan: string | null
    email: string | null
    hint: LengthHint | null
    /** The soonest expiry of the banked resets, from their own endpoint (reset-credits.ts). */
    resetsExpireAt?: string | null
  },
): UsageSnapshot {
  const nowMs = meta.now.getTime()
  const extra: UsageWindow[] = []
  for (const a of u.additional_rate_limits ?? []) {
    const name = a.limit_name || a.metered_feature
    if (name) extra.push(...limitWindows(a.rate_limit, { slug: slug(name), name }, nowMs, meta.hint))
  }
  const review = limitWindows(u.code_review_rate_limit, { slug: 'review', name: 'Review' }, nowMs, meta.hint)
  const spend = spendLimit(u)
  const resets = resetCreditMeter(u.rate_limit_reset_credits, meta.resetsExpireAt ?? null)
  return {
    fetchedAt: meta.now.toISOString(),
    // The JWT's plan can be stale after an upgrade; the endpoint's is current.
    plan: withCredits(planLabel(u.plan_type) ?? meta.plan, u.credits),
    email: meta.email ?? u.email ?? null,
    windows: [...limitWindows(u.rate_limit, null, nowMs, meta.hint), ...extra, ...review],
    spend: spend ? [spend] : [],
    ...(resets ? { balances: [resets] } : {}),
  }
}
