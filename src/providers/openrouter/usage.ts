import { z } from 'zod'
import type { BalanceMeter, SpendMeter, UsageWindow } from '../../model.js'
import { kept } from '../../kept.js'
import { money } from '../balance.js'

/**
 * `GET /api/v1/key` and `GET /api/v1/credits` (providers-…-openrouter.md §4.1, §4.2). Amounts are
 * USD credits. Only the fields used are declared; `rate_limit` is deprecated ("always -1").
 */

export const keySchema = z.object({
  // Each amount feeds its own meter and is kept alone: a malformed one drops only it (src/kept.ts).
  data: z.object({
    limit: kept(money, 'limit'),
    limit_remaining: kept(money, 'limit'),
    limit_reset: z.string().nullish(),
    usage: kept(money, 'meter'),
    usage_daily: kept(money, 'meter'),
    usage_weekly: kept(money, 'meter'),
    usage_monthly: kept(money, 'meter'),
    is_free_tier: z.boolean().nullish(),
    is_management_key: z.boolean().nullish(),
    /** Deprecated alias of is_management_key. */
    is_provisioning_key: z.boolean().nullish(),
  }),
})

export const creditsSchema = z.object({
  data: z.object({ total_credits: money, total_usage: money }),
})

export type OpenRouterKey = z.output<typeof keySchema>['data']
export type OpenRouterCredits = z.output<typeof creditsSchema>['data']

export const isManagementKey = (k: OpenRouterKey) =>
  k.is_management_key === true || k.is_provisioning_key === true

type Reset = 'daily' | 'weekly' | 'monthly'

const PERIODS: { reset: Reset; period: 'day' | 'week' | 'month'; field: keyof OpenRouterKey }[] = [
  { reset: 'daily', period: 'day', field: 'usage_daily' },
  { reset: 'weekly', period: 'week', field: 'usage_weekly' },
  { reset: 'monthly', period: 'month', field: 'usage_monthly' },
]

const WINDOW: Record<Reset, { label: string; seconds: number | null }> = {
  daily: { label: 'Daily limit', seconds: 86400 },
  weekly: { label: 'Weekly limit', seconds: 7 * 86400 },
  // Months differ in length: after a reset the view cannot step a fixed period forward.
  monthly: { label: 'Monthly limit', seconds: null },
}

/** Limits reset at midnight UTC; weeks run Monday to Sunday (§4.1). */
export function nextReset(reset: Reset, now: Date): string {
  const y = now.getUTCFullYear()
  const m = now.getUTCMonth()
  const d = now.getUTCDate()
  if (reset === 'monthly') return new Date(Date.UTC(y, m + 1, 1)).toISOString()
  if (reset === 'daily') return new Date(Date.UTC(y, m, d + 1)).toISOString()
  const daysToMonday = (8 - now.getUTCDay()) % 7 || 7
  return new Date(Date.UTC(y, m, d + daysToMonday)).toISOString()
}

const asReset = (v: string | null | undefined): Reset | null =>
  v === 'daily' || v === 'weekly' || v === 'monthly' ? v : null

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null)

export interface KeyReading {
  plan: string | null
  windows: UsageWindow[]
  spend: SpendMeter[]
}

/**
 * Spend for today, this week and this month; a key with a `limit` adds the limit: on the meter of
 * the period it resets with (plus a window with the reset time), or as a `total` meter when it
 * never resets. `used% = (limit − limit_remaining) / limit` (§4.1); a limit of 0 is no limit.
 */
export function mapKey(k: OpenRouterKey, now: Date): KeyReading {
  const limit = k.limit && k.limit > 0 ? k.limit : null
  const reset = asReset(k.limit_reset)
  const spent = limit !== null && num(k.limit_remaining) !== null ? limit - (k.limit_remaining ?? 0) : null
  const windows: UsageWindow[] = []
  const spend: SpendMeter[] = []
  for (const p of PERIODS) {
    const used = num(k[p.field])
    const limited = limit !== null && reset === p.reset
    if (limited && spent !== null) {
      windows.push({
        id: p.reset,
        label: WINDOW[p.reset].label,
        usedPercent: Math.max(0, (spent / limit) * 100),
        resetsAt: nextReset(p.reset, now),
        windowSeconds: WINDOW[p.reset].seconds,
      })
    }
    // Unknown is not zero: a period the key did not report is left out.
    if (used === null && !(limited && spent !== null)) continue
    spend.push({
      id: p.period,
      label: 'Spend',
      used: used ?? Math.max(0, spent ?? 0),
      limit: limited ? limit : null,
      currency: 'USD',
      period: p.period,
    })
  }
  if (limit !== null && reset === null) {
    const used = spent ?? num(k.usage)
    if (used !== null) {
      spend.push({
        id: 'limit',
        label: 'Key limit',
        used: Math.max(0, used),
        limit,
        currency: 'USD',
        period: 'total',
      })
    }
  }
  const plan = isManagementKey(k) ? 'Management key' : k.is_free_tier ? 'Free tier' : null
  return { plan, windows, spend }
}

/**
 * The account's credit balance. `0/0` is what an inference key gets instead of a 403 (§4.2 rule 2):
 * unknown, not a $0 balance, so no meter.
 */
export function mapCredits(c: OpenRouterCredits): BalanceMeter | null {
  if (c.total_credits === 0 && c.total_usage === 0) return null
  return { id: 'credits', label: 'Credits', amount: c.total_credits - c.total_usage, currency: 'USD' }
}
