import type { SpendMeter } from '../model.js'
import type { AccountUsage } from './local.js'
import { roundUsd } from './meters.js'
import type { Calendar } from './periods.js'
import {
  addTotals,
  BUCKET_MS,
  CACHE_READ,
  CACHE_WRITE,
  COST,
  ESTIMATED,
  emptyTotals,
  FIRST,
  INPUT,
  OUTPUT,
  REQUESTS,
  type Totals,
  tokensOf,
  UNPRICED,
} from './totals.js'

/** `quotabar report`: usage over the last N local days, by account, model or day. Pure. */

export type ReportBy = 'account' | 'model' | 'day'

export interface ReportRow {
  key: string
  /** `logs`: counted here from local files; `api`: a provider-reported amount from the cache. */
  source: 'logs' | 'api'
  inputTokens: number | null
  outputTokens: number | null
  cacheReadTokens: number | null
  cacheWriteTokens: number | null
  tokens: number | null
  requests: number | null
  cost: number
  currency: string
  /** Some of the cost was priced here from token counts (an API-equivalent estimate). */
  estimated: boolean
  /** Requests whose model has no price: their cost is missing from `cost`. */
  unpricedRequests: number
  /** Share of the period's USD cost; null for rows of another period or currency. */
  share: number | null
  /** API rows: the period the provider's amount covers (`day`, `week`, `month`, ...). */
  period?: SpendMeter['period']
}

export interface Report {
  from: string
  to: string
  days: number
  timeZone: string
  by: ReportBy
  rows: ReportRow[]
  total: ReportRow
  /** Lines skipped or counted with a caveat, per account and reason. */
  reasons: Record<string, Record<string, number>>
}

export interface ApiSpend {
  key: string
  spend: SpendMeter[]
}

function logRow(key: string, t: Totals): ReportRow {
  return {
    key,
    source: 'logs',
    inputTokens: t[INPUT] ?? 0,
    outputTokens: t[OUTPUT] ?? 0,
    cacheReadTokens: t[CACHE_READ] ?? 0,
    cacheWriteTokens: t[CACHE_WRITE] ?? 0,
    tokens: tokensOf(t),
    requests: t[REQUESTS] ?? 0,
    cost: roundUsd(t[COST] ?? 0),
    currency: 'USD',
    estimated: (t[ESTIMATED] ?? 0) > 0,
    unpricedRequests: t[UNPRICED] ?? 0,
    share: null,
  }
}

/** The provider's meter covering the same span as the report, if it has one. */
function pickMeter(spend: SpendMeter[], days: number): { meter: SpendMeter; same: boolean } | null {
  const reported = spend.filter((s) => s.estimated !== true)
  const want = days === 1 ? 'day' : days === 7 ? 'week' : days >= 28 && days <= 31 ? 'month' : null
  const exact =
    reported.find((s) => s.period === want && s.currency === 'USD') ?? reported.find((s) => s.period === want)
  if (exact) return { meter: exact, same: true }
  const any = reported.find((s) => s.period === 'month') ?? reported[0]
  return any ? { meter: any, same: false } : null
}

function apiRow(key: string, meter: SpendMeter): ReportRow {
  return {
    key,
    source: 'api',
    inputTokens: null,
    outputTokens: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    tokens: meter.tokens ?? null,
    requests: meter.requests ?? null,
    cost: meter.used,
    currency: meter.currency,
    estimated: false,
    unpricedRequests: 0,
    share: null,
    period: meter.period,
  }
}

export function buildReport(
  usages: readonly AccountUsage[],
  api: readonly ApiSpend[],
  o: { by: ReportBy; days: number; now: number; cal: Calendar },
): Report {
  const from = o.cal.addDays(o.cal.startOfDay(o.now), -(o.days - 1))
  const groups = new Map<string, Totals>()
  for (const u of usages) {
    for (const [bucket, byModel] of u.slots) {
      if (bucket * BUCKET_MS < from) continue
      for (const [model, t] of byModel) {
        if ((t[FIRST] ?? 0) > o.now) continue
        const key = o.by === 'account' ? u.key : o.by === 'model' ? model : o.cal.dayLabel(bucket * BUCKET_MS)
        let g = groups.get(key)
        if (!g) {
          g = emptyTotals()
          groups.set(key, g)
        }
        addTotals(g, t)
      }
    }
  }
  const all = emptyTotals()
  for (const g of groups.values()) addTotals(all, g)
  if (o.by === 'account') for (const u of usages) if (!groups.has(u.key)) groups.set(u.key, emptyTotals())
  const rows = [...groups].map(([k, t]) => logRow(k, t))
  const comparable = new Set(rows)
  if (o.by === 'account') {
    for (const a of api) {
      const picked = pickMeter(a.spend, o.days)
      if (!picked) continue
      const row = apiRow(a.key, picked.meter)
      rows.push(row)
      if (picked.same && row.currency === 'USD') comparable.add(row)
    }
  }
  const total = logRow('total', all)
  for (const r of rows)
    if (r.source === 'api' && comparable.has(r)) total.cost = roundUsd(total.cost + r.cost)
  for (const r of comparable) r.share = total.cost > 0 ? r.cost / total.cost : null
  if (o.by === 'day') rows.sort((a, b) => (a.key < b.key ? -1 : 1))
  else rows.sort((a, b) => b.cost - a.cost || (a.key < b.key ? -1 : 1))
  return {
    from: o.cal.dayLabel(from),
    to: o.cal.dayLabel(o.now),
    days: o.days,
    timeZone: o.cal.timeZone,
    by: o.by,
    rows,
    total,
    reasons: Object.fromEntries(usages.map((u) => [u.key, u.reasons])),
  }
}
