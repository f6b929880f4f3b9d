import type { SpendMeter, UsageSnapshot, UsageWindow } from '../../model.js'
import type { JsonShape } from '../../http.js'
import { bool, isRec, num, str } from '../../hand-check.js'
import { isoTimeOf, numericOf } from '../plain-parts.js'
import { monthSpend } from '../spend.js'
import type { ClaudeUsage, usageSchema } from './usage-schema.js'

/**
 * The usage reply, checked by hand first: a refresh is one short process, and building zod and
 * this schema costs it more than the request. The check returns exactly what ./usage-schema.ts
 * would (unknown keys dropped, times normalised) or null for anything it does not vouch for —
 * an unusual value, a part that would be left out — and then the schema decides, with its own
 * errors and notes (test/providers/claude-usage-check.test.ts holds the two equal).
 */
export const usageShape: JsonShape<typeof usageSchema> = {
  handCheck: checkUsage,
  schema: async () => (await import('./usage-schema.js')).usageSchema,
}

/** Why a value is not vouched for: the schema is asked instead. */
const ASK = Symbol('ask the schema')
type Part = (v: unknown) => unknown

/** `z.object`: the declared keys the input has, each checked; the others dropped. */
const object =
  (shape: Record<string, Part>): Part =>
  (v) => {
    if (!isRec(v)) return ASK
    const out: Record<string, unknown> = {}
    for (const [key, part] of Object.entries(shape)) {
      const has = Object.hasOwn(v, key)
      const r = part(has ? v[key] : undefined)
      if (r === ASK) return ASK
      if (has) out[key] = r
    }
    return out
  }

/** `.nullish()`: absent and null stay so, anything else must pass `part`. */
const nullish =
  (part: Part): Part =>
  (v) =>
    v === undefined || v === null ? v : part(v)

const number: Part = (v) => (num(v) ? v : ASK)
const int: Part = (v) => (Number.isSafeInteger(v) ? v : ASK)
const string: Part = (v) => (str(v) ? v : ASK)
const boolean: Part = (v) => (bool(v) ? v : ASK)
const time: Part = nullish((v) => (str(v) ? (isoTimeOf(v) ?? ASK) : ASK))
const numberish: Part = nullish((v) => numericOf(v) ?? ASK)
// A `kept()` part reads as nullish here: one that fails would be left out, and the schema says so.
const window = nullish(object({ utilization: nullish(number), resets_at: time }))
const money = object({ amount_minor: number, currency: nullish(string), exponent: int })
const limit = object({
  kind: nullish(string),
  group: nullish(string),
  percent: nullish(number),
  resets_at: time,
  scope: nullish(object({ model: nullish(object({ id: nullish(string), display_name: nullish(string) })) })),
})
/** `keptArray()`: null and absent elements dropped from the list. */
const limits: Part = nullish((v) => {
  if (!Array.isArray(v)) return ASK
  const out: unknown[] = []
  for (const item of v) {
    if (item === null || item === undefined) continue
    const r = limit(item)
    if (r === ASK) return ASK
    out.push(r)
  }
  return out
})
const usage = object({
  five_hour: window,
  seven_day: window,
  seven_day_opus: window,
  seven_day_sonnet: window,
  seven_day_cowork: window,
  seven_day_routines: window,
  extra_usage: nullish(
    object({
      is_enabled: nullish(boolean),
      monthly_limit: numberish,
      monthly_credit_limit: numberish,
      used_credits: numberish,
      currency: nullish(string),
      decimal_places: nullish((v) =>
        Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 6 ? v : ASK,
      ),
    }),
  ),
  limits,
  spend: nullish(object({ used: nullish(money), limit: nullish(money), enabled: nullish(boolean) })),
})

/** The reply as ./usage-schema.ts would give it, or null: ask the schema. */
export function checkUsage(json: unknown): ClaudeUsage | null {
  const r = usage(json)
  return r === ASK ? null : (r as ClaudeUsage)
}

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
