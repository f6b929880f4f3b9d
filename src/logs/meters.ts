import type { SpendMeter } from '../model.js'
import { activeBlock, type Slot, sessionBlocks } from './blocks.js'
import type { AccountUsage, LogKind } from './local.js'
import type { Calendar } from './periods.js'
import {
  addTotals,
  BUCKET_MS,
  COST,
  ESTIMATED,
  emptyTotals,
  FIRST,
  REQUESTS,
  type Totals,
  tokensOf,
  UNPRICED,
} from './totals.js'

/** Today, the current 5-hour block and this week as spend meters (ids `today`, `block`, `week`). */

export const LOCAL_METER_IDS: ReadonlySet<string> = new Set(['today', 'block', 'week'])

/** Subscription users don't pay these prices: the spec asks to call computed costs API-equivalent. */
const LABELS: Record<LogKind, string> = {
  claude: 'API-equivalent',
  codex: 'API-equivalent',
  opencode: 'Local logs',
}

/** Each bucket summed over its models, requests after `now` (clock skew) left out. */
export function slotsUntil(usage: AccountUsage, now: number): Slot[] {
  const out: Slot[] = []
  for (const [bucket, byModel] of usage.slots) {
    const totals = emptyTotals()
    for (const t of byModel.values()) if ((t[FIRST] ?? 0) <= now) addTotals(totals, t)
    if ((totals[REQUESTS] ?? 0) > 0) out.push({ bucket, totals })
  }
  return out
}

const sumSince = (slots: readonly Slot[], from: number) => {
  const t = emptyTotals()
  for (const s of slots) if (s.bucket * BUCKET_MS >= from) addTotals(t, s.totals)
  return t
}

export const roundUsd = (n: number) => Math.round(n * 1e6) / 1e6

function meter(id: string, period: SpendMeter['period'], label: string, t: Totals): SpendMeter {
  const unpriced = t[UNPRICED] ?? 0
  return {
    id,
    label: unpriced > 0 ? `${label} (${unpriced} unpriced)` : label,
    used: roundUsd(t[COST] ?? 0),
    limit: null,
    currency: 'USD',
    period,
    tokens: tokensOf(t),
    requests: t[REQUESTS] ?? 0,
    estimated: (t[ESTIMATED] ?? 0) > 0,
  }
}

export function usageMeters(usage: AccountUsage, now: number, cal: Calendar): SpendMeter[] {
  const slots = slotsUntil(usage, now)
  const block = activeBlock(sessionBlocks(slots), now)
  const label = LABELS[usage.kind]
  return [
    meter('today', 'day', label, sumSince(slots, cal.startOfDay(now))),
    meter('block', 'block', label, block?.totals ?? emptyTotals()),
    meter('week', 'week', label, sumSince(slots, cal.startOfWeek(now))),
  ]
}
