import { z } from 'zod'
import { kept } from '../../kept.js'
import { numberish } from '../schema-parts.js'
import type { SpendMeter, UsageSnapshot, UsageWindow } from '../../model.js'
import { monthSpend } from '../spend.js'

/**
 * `GET /copilot_internal/user` (providers-copilot-gemini-cursor-openrouter.md §1.3–1.5). Every
 * field is optional in practice and numbers come as int, float or numeric string. Only the fields
 * used are declared; other buckets and flags are dropped by zod.
 */

/** `2026-08-01` (midnight UTC) or a full ISO time; `""` means not given; anything else is drift. */
const resetDate = z
  .string()
  .transform((s, ctx) => {
    if (s.trim() === '') return null
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s)
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: `not a date: ${JSON.stringify(s.slice(0, 40))}` })
      return z.NEVER
    }
    return new Date(t).toISOString()
  })
  .nullish()

// Each bucket is kept alone: a malformed one drops only itself (src/kept.ts).
const bucketSchema = kept(
  z.object({
    entitlement: numberish,
    remaining: numberish,
    quota_remaining: numberish,
    percent_remaining: numberish,
    unlimited: z.boolean().nullish(),
    has_quota: z.boolean().nullish(),
    overage_permitted: z.boolean().nullish(),
    overage_count: numberish,
    credits_used: numberish,
    token_based_billing: z.boolean().nullish(),
  }),
  'bucket',
)

const legacyCounts = z.object({ chat: numberish, completions: numberish }).nullish()

export const userSchema = z.object({
  login: z.string().nullish(),
  access_type_sku: z.string().nullish(),
  copilot_plan: z.string().nullish(),
  token_based_billing: z.boolean().nullish(),
  can_signup_for_limited: z.boolean().nullish(),
  quota_reset_date_utc: resetDate,
  quota_reset_date: resetDate,
  limited_user_reset_date: resetDate,
  quota_snapshots: z
    .object({ premium_interactions: bucketSchema, chat: bucketSchema, completions: bucketSchema })
    .nullish(),
  /** Free (legacy): remaining counts. */
  limited_user_quotas: legacyCounts,
  /** Free (legacy): monthly totals. */
  monthly_quotas: legacyCounts,
})

export type CopilotUser = z.output<typeof userSchema>
type Bucket = NonNullable<z.output<typeof bucketSchema>>

// Legacy premium requests past the allowance are billed at $0.04 each; 1 AI credit is $0.01.
export const OVERAGE_USD = 0.04
export const CREDIT_USD = 0.01

const round2 = (n: number) => Math.round(n * 100) / 100

/** Unlimited, not part of the plan, or an org-seat placeholder (0 of 0): no meter, never 0 % or 100 %. */
function isMetered(b: Bucket): boolean {
  return b.unlimited !== true && b.has_quota !== false && b.entitlement !== 0
}

/** `100 − percent_remaining`, not clamped above 100: over quota reads e.g. 100.33 %. */
function usedPercent(b: Bucket): number | null {
  const entitlement = b.entitlement ?? 0
  let used: number | null = null
  if (b.percent_remaining !== null && b.percent_remaining !== undefined) used = 100 - b.percent_remaining
  else if (entitlement > 0) {
    const left = b.quota_remaining ?? b.remaining
    if (left !== null && left !== undefined) used = 100 * (1 - left / entitlement)
  }
  if (used === null) return null
  // Overage can be reported as a count while remaining stays at 0.
  if ((b.overage_count ?? 0) > 0 && entitlement > 0)
    used = Math.max(used, 100 + (100 * (b.overage_count ?? 0)) / entitlement)
  return round2(Math.max(0, used))
}

/** A calendar month ending at the reset (same day of the previous month, clamped to its length). */
function monthEndingAt(resetsAt: string | null): number | null {
  if (!resetsAt) return null
  const end = new Date(resetsAt)
  const y = end.getUTCFullYear()
  const m = end.getUTCMonth() - 1
  const day = Math.min(end.getUTCDate(), new Date(Date.UTC(y, m + 1, 0)).getUTCDate())
  const start = Date.UTC(y, m, day, end.getUTCHours(), end.getUTCMinutes(), end.getUTCSeconds())
  return Math.round((end.getTime() - start) / 1000)
}

/** VS Code's `doResolveEntitlement` order; `copilot_plan: individual` alone is Free *or* Pro. */
export function planLabel(
  u: Pick<CopilotUser, 'access_type_sku' | 'copilot_plan' | 'can_signup_for_limited'>,
) {
  if (u.access_type_sku === 'free_limited_copilot') return 'Free'
  if (u.access_type_sku === 'free_educational_quota') return 'EDU'
  if (u.can_signup_for_limited) return 'No plan (Free available)'
  const plans: Record<string, string> = {
    individual: 'Pro',
    individual_pro: 'Pro+',
    individual_max: 'Max',
    individual_edu: 'EDU',
    business: 'Business',
    enterprise: 'Enterprise',
  }
  return (u.copilot_plan && plans[u.copilot_plan]) || null
}

export function mapUser(u: CopilotUser, fetchedAt: string): UsageSnapshot {
  const resetsAt = u.quota_reset_date_utc ?? u.quota_reset_date ?? u.limited_user_reset_date ?? null
  const windowSeconds = monthEndingAt(resetsAt)
  const snaps = u.quota_snapshots
  const credits = u.token_based_billing === true || snaps?.premium_interactions?.token_based_billing === true
  const window = (id: string, label: string, percent: number | null): UsageWindow[] =>
    percent === null ? [] : [{ id, label, usedPercent: percent, resetsAt, windowSeconds }]
  const fromBucket = (b: Bucket | null | undefined) => (b && isMetered(b) ? usedPercent(b) : null)
  // Free (legacy) has no quota_snapshots: remaining and total counts instead.
  const fromLegacy = (key: 'chat' | 'completions') => {
    const left = u.limited_user_quotas?.[key]
    const total = u.monthly_quotas?.[key]
    if (left === null || left === undefined || !total || total <= 0) return null
    return round2(Math.max(0, 100 * (1 - left / total)))
  }
  const premium = snaps?.premium_interactions
  const windows = [
    ...window('premium', credits ? 'AI credits' : 'Premium', fromBucket(premium)),
    ...window('chat', 'Chat', snaps?.chat ? fromBucket(snaps.chat) : fromLegacy('chat')),
    ...window(
      'completions',
      'Completions',
      snaps?.completions ? fromBucket(snaps.completions) : fromLegacy('completions'),
    ),
  ]
  const spend: SpendMeter[] = []
  const meter = (id: string, label: string, usd: number) => spend.push(monthSpend(id, label, round2(usd)))
  if (premium && !isMetered(premium) && (premium.credits_used ?? 0) > 0) {
    // A token-billed org seat reports the user's own credits with no denominator: a plain amount.
    meter('credits', 'AI credits', (premium.credits_used ?? 0) * CREDIT_USD)
  }
  if (premium && !credits && premium.overage_permitted && (premium.overage_count ?? 0) > 0) {
    meter('overage', 'Premium overage', (premium.overage_count ?? 0) * OVERAGE_USD)
  }
  return { fetchedAt, plan: describePlan(u, windows.length > 0), email: u.login || null, windows, spend }
}

/** Buckets that are all placeholders are not 0 % used: the plan text says why there is no meter. */
function describePlan(u: CopilotUser, metered: boolean): string | null {
  const plan = planLabel(u)
  if (metered) return plan
  const buckets = Object.values(u.quota_snapshots ?? {}).filter((b) => !!b)
  if (buckets.length === 0) return plan
  if (u.copilot_plan === 'business' || u.copilot_plan === 'enterprise')
    return `${plan} (managed by your organisation)`
  return buckets.some((b) => b?.unlimited === true) ? `${plan ?? 'Copilot'} (unlimited)` : plan
}
