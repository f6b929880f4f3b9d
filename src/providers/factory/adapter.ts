import { z } from 'zod'
import type { BalanceMeter, UsageWindow } from '../../model.js'
import { type KeyReading, keyAdapter } from '../balance.js'
import { quotaWindow, type Scope, uniqueIds, type WindowKind } from '../quota-window.js'
import { isoTime, numberish } from '../schema-parts.js'
import type { Account, ProviderAdapter } from '../types.js'
import { FACTORY_KEY_ENV } from './descriptor.js'
import { factoryIdentity, readFactoryEnvFile } from './login.js'

/**
 * Factory / Droid: `GET https://api.factory.ai/api/billing/limits`, Bearer `FACTORY_API_KEY`.
 * `limits.standard` holds the five-hour, weekly and monthly windows (`usedPercent`, `windowEnd`,
 * `secondsRemaining`); `limits.core`, when present, the same for the core models. The extra-usage
 * balance is in cents.
 */
export const FACTORY_LIMITS_URL = 'https://api.factory.ai/api/billing/limits'

const windowSchema = z
  .object({ usedPercent: numberish, windowEnd: isoTime, secondsRemaining: numberish })
  .nullish()

const tierSchema = z.object({ fiveHour: windowSchema, weekly: windowSchema, monthly: windowSchema }).nullish()

export const factoryLimitsSchema = z.object({
  usesTokenRateLimitsBilling: z.boolean().nullish(),
  limits: z.object({ standard: tierSchema, core: tierSchema }).nullish(),
  extraUsageBalanceCents: numberish,
  extraUsageAllowed: z.boolean().nullish(),
})

type Limits = z.output<typeof factoryLimitsSchema>
type Tier = z.output<typeof tierSchema>

const SLOTS: [keyof NonNullable<Tier>, WindowKind][] = [
  ['fiveHour', 'session'],
  ['weekly', 'weekly'],
  ['monthly', 'monthly'],
]

function tierWindows(tier: Tier, scope: Scope | null, nowMs: number): UsageWindow[] {
  const out: UsageWindow[] = []
  for (const [slot, kind] of SLOTS) {
    const w = tier?.[slot]
    if (typeof w?.usedPercent !== 'number') continue
    const after = w.secondsRemaining
    const resetsAt =
      w.windowEnd ?? (typeof after === 'number' ? new Date(nowMs + after * 1000).toISOString() : null)
    out.push(quotaWindow(kind, w.usedPercent, resetsAt, scope))
  }
  return out
}

export function mapFactoryLimits(body: Limits, _account: Account, now: Date): KeyReading {
  const nowMs = now.getTime()
  const windows = [
    ...tierWindows(body.limits?.standard, null, nowMs),
    ...tierWindows(body.limits?.core, { slug: 'core', name: 'Core' }, nowMs),
  ]
  const balances: BalanceMeter[] = []
  const cents = body.extraUsageBalanceCents
  // A zero balance with extra usage switched off says nothing: only a usable or left-over one shows.
  if (typeof cents === 'number' && (cents !== 0 || body.extraUsageAllowed === true))
    balances.push({ id: 'extra-usage', label: 'Extra usage', amount: cents / 100, currency: 'USD' })
  return { plan: null, windows: uniqueIds(windows), balances }
}

export const factoryAdapter = keyAdapter({
  id: 'factory',
  name: 'Factory',
  url: FACTORY_LIMITS_URL,
  keyEnv: FACTORY_KEY_ENV,
  schema: factoryLimitsSchema,
  login: readFactoryEnvFile,
  identity: factoryIdentity,
  read: mapFactoryLimits,
}) satisfies ProviderAdapter
