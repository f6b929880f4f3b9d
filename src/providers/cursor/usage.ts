import { z } from 'zod'
import { kept } from '../../kept.js'
import { isoTime, numberish } from '../schema-parts.js'
import type { SpendMeter, UsageSnapshot, UsageWindow } from '../../model.js'
import { monthSpend } from '../spend.js'

/**
 * `GET /api/usage-summary` (providers spec §3.2) and the legacy request counter `GET /api/usage`
 * (§3.3). Money is integer US cents; `*PercentUsed` are already percentages (0.36 means 0.36 %).
 */

// Each money block is kept alone: a malformed one drops only itself (src/kept.ts).
const meterSchema = kept(
  z.object({ enabled: z.boolean().nullish(), used: numberish, limit: numberish, remaining: numberish }),
  'meter',
)

export const summarySchema = z.object({
  billingCycleStart: isoTime,
  billingCycleEnd: isoTime,
  membershipType: z.string().nullish(),
  individualUsage: z
    .object({
      plan: kept(
        z.object({
          enabled: z.boolean().nullish(),
          used: numberish,
          limit: numberish,
          remaining: numberish,
          autoPercentUsed: numberish,
          apiPercentUsed: numberish,
          totalPercentUsed: numberish,
        }),
        'plan meter',
      ),
      onDemand: meterSchema,
      overall: meterSchema,
    })
    .nullish(),
  teamUsage: z.object({ onDemand: meterSchema, pooled: meterSchema }).nullish(),
})

export const legacySchema = z.object({
  'gpt-4': kept(
    z.object({ numRequests: numberish, numRequestsTotal: numberish, maxRequestUsage: numberish }),
    'request counter',
  ),
  startOfMonth: isoTime,
})

export type CursorSummary = z.output<typeof summarySchema>
export type CursorLegacyUsage = z.output<typeof legacySchema>
type Meter = z.output<typeof meterSchema>

const clampPercent = (n: number) => Math.min(100, Math.max(0, n))

const PLAN_NAMES: Record<string, string> = { pro_plus: 'Pro+', free_trial: 'Free trial' }

/** `pro` → `Pro`, `pro_plus` → `Pro+`, `enterprise` → `Enterprise`. */
export function planLabel(membership: string | null | undefined): string | null {
  const key = membership?.trim().toLowerCase()
  if (!key) return null
  return (
    PLAN_NAMES[key] ??
    key
      .split(/[_\s-]+/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ')
  )
}

interface Money {
  used?: number | null
  limit?: number | null
  remaining?: number | null
}

/**
 * Cents spent. A block can report `used: 0` while `limit − remaining` is positive (the spend is
 * then the delta); the larger of the two wins, and null when neither is reported.
 */
function spent(m: Money): number | null {
  const delta = m.limit != null && m.remaining != null ? m.limit - m.remaining : null
  if (m.used == null) return delta
  return delta !== null && delta > m.used ? delta : m.used
}

function ratio(m: (Money & { enabled?: boolean | null }) | null | undefined): number | null {
  const used = m ? spent(m) : null
  if (!m || m.enabled === false || used === null || m.limit == null || m.limit <= 0) return null
  return (used / m.limit) * 100
}

/** The headline, in CodexBar's order: plan percentages, plan cents, the member's cap, the team pool. */
function headline(u: CursorSummary): { label: string; percent: number } | null {
  const plan = u.individualUsage?.plan
  // `limit: 0` is the free plan's placeholder: nothing is metered, so no window rather than 0 %.
  if (plan && plan.enabled !== false && plan.limit !== 0) {
    const { totalPercentUsed: total, autoPercentUsed: auto, apiPercentUsed: api } = plan
    const both = auto != null && api != null ? (auto + api) / 2 : null
    const percent = total ?? both ?? auto ?? api ?? ratio(plan)
    if (percent != null) return { label: 'Plan', percent }
  }
  const overall = ratio(u.individualUsage?.overall)
  if (overall !== null) return { label: 'Your limit', percent: overall }
  const pooled = ratio(u.teamUsage?.pooled)
  return pooled === null ? null : { label: 'Team pool', percent: pooled }
}

function cycle(start: string | null | undefined, end: string | null | undefined): number | null {
  if (!start || !end) return null
  const seconds = (Date.parse(end) - Date.parse(start)) / 1000
  return seconds > 0 ? seconds : null
}

/** Same day next month, kept inside shorter months (Jan 31 → Feb 28). */
function nextMonth(iso: string): string {
  const d = new Date(iso)
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + 1)
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, last))
  return d.toISOString()
}

/** Legacy request plans: `maxRequestUsage: null` means usage-based (no request cap), so nothing. */
function requestsWindow(l: CursorLegacyUsage | null): UsageWindow | null {
  const gpt4 = l?.['gpt-4']
  const max = gpt4?.maxRequestUsage
  if (!gpt4 || max == null || max <= 0) return null
  const used = gpt4.numRequestsTotal ?? gpt4.numRequests ?? 0
  const start = l?.startOfMonth ?? null
  const resetsAt = start ? nextMonth(start) : null
  return {
    id: 'monthly',
    label: 'Requests',
    usedPercent: clampPercent((used / max) * 100),
    resetsAt,
    windowSeconds: cycle(start, resetsAt),
  }
}

function spend(id: string, label: string, m: Meter, show: boolean): SpendMeter | null {
  if (!m || !show) return null
  const dollars = (cents: number) => cents / 100
  return monthSpend(id, label, dollars(spent(m) ?? 0), { limit: m.limit == null ? null : dollars(m.limit) })
}

// On-demand counts when switched on (`limit: null` is then "no cap"); a pool when it has a size.
const onDemandOn = (m: Meter) => m?.enabled === true || (m?.enabled == null && (m ? (spent(m) ?? 0) : 0) > 0)
const poolOn = (m: Meter) => m?.enabled !== false && (m?.limit ?? 0) > 0

export function mapUsage(
  u: CursorSummary,
  legacy: CursorLegacyUsage | null,
  meta: { fetchedAt: string; email: string | null; membership: string | null },
): UsageSnapshot {
  const top = headline(u)
  // A request quota replaces the plan percentages, which then describe usage-based pricing only.
  const monthly: UsageWindow | null =
    requestsWindow(legacy) ??
    (top && {
      id: 'monthly',
      label: top.label,
      usedPercent: clampPercent(top.percent),
      resetsAt: u.billingCycleEnd ?? null,
      windowSeconds: cycle(u.billingCycleStart, u.billingCycleEnd),
    })
  const team = u.teamUsage
  const meters = [
    spend('on-demand', 'On-demand', u.individualUsage?.onDemand, onDemandOn(u.individualUsage?.onDemand)),
    spend('team-pool', 'Team pool', team?.pooled, poolOn(team?.pooled)),
    spend('team-on-demand', 'Team on-demand', team?.onDemand, onDemandOn(team?.onDemand)),
  ]
  return {
    fetchedAt: meta.fetchedAt,
    plan: planLabel(u.membershipType) ?? planLabel(meta.membership),
    email: meta.email,
    windows: monthly ? [monthly] : [],
    spend: meters.filter((s): s is SpendMeter => s !== null),
  }
}
