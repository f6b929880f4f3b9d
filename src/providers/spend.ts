import type { SpendMeter } from '../model.js'

/**
 * Spend meters every provider builds the same way: a month's money, and the `today` / `month`
 * pairs of the admin cost and usage reports (OpenAI, Anthropic). Both APIs bucket by UTC day, so
 * "today" and "this month" are UTC there.
 */

/**
 * A money (or credits) meter for the calendar month, the shape most providers report: no limit
 * unless one is given, USD unless another currency is.
 */
export function monthSpend(
  id: string,
  label: string,
  used: number,
  more: Partial<Pick<SpendMeter, 'limit' | 'currency' | 'requests'>> = {},
): SpendMeter {
  return { id, label, used, limit: null, currency: 'USD', period: 'month', ...more }
}

/** Start of the UTC day and the UTC month of `now`, in Unix ms. */
export function utcRanges(now: Date): { dayStart: number; monthStart: number } {
  const y = now.getUTCFullYear()
  const m = now.getUTCMonth()
  return { dayStart: Date.UTC(y, m, now.getUTCDate()), monthStart: Date.UTC(y, m, 1) }
}

/** One cost line in major units (already divided when the API reports minor units). */
export interface CostRow {
  currency: string
  amount: number
  today: boolean
}

export interface Counts {
  tokens: number | null
  requests: number | null
}

// Sums of many float amounts pick up noise like 0.30000000000000004; 1e-8 of a dollar is far
// below anything billed (Anthropic reports fractions of a cent to 5 places: 1e-7 dollars).
export const roundMoney = (n: number) => Math.round(n * 1e8) / 1e8

/**
 * `today` and `month` meters in the report's currency. Money is never converted or mixed: a
 * report with several currencies gets a pair of meters per currency (`today:eur`, `month:eur`),
 * USD (the only currency either API documents) first and carrying the token/request counts,
 * which are not money. An empty report is a real zero: the API answered that nothing was spent.
 */
export function spendMeters(
  rows: CostRow[],
  counts: { today: Counts; month: Counts },
  label: string,
): SpendMeter[] {
  const totals = new Map<string, { today: number; month: number }>()
  for (const r of rows) {
    const t = totals.get(r.currency) ?? { today: 0, month: 0 }
    t.month += r.amount
    if (r.today) t.today += r.amount
    totals.set(r.currency, t)
  }
  if (totals.size === 0) totals.set('USD', { today: 0, month: 0 })
  const currencies = [...totals.keys()].sort((a, b) =>
    a === 'USD' ? -1 : b === 'USD' ? 1 : a.localeCompare(b),
  )
  return currencies.flatMap((currency, i) => {
    const t = totals.get(currency) ?? { today: 0, month: 0 }
    const suffix = i === 0 ? '' : `:${currency.toLowerCase()}`
    const meter = (period: 'day' | 'month', used: number, c: Counts): SpendMeter => ({
      id: `${period === 'day' ? 'today' : 'month'}${suffix}`,
      label,
      used: roundMoney(used),
      limit: null,
      currency,
      period,
      ...(i === 0 ? { tokens: c.tokens, requests: c.requests } : {}),
    })
    return [meter('day', t.today, counts.today), meter('month', t.month, counts.month)]
  })
}
