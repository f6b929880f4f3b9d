import { deriveStatus } from './cache/freshness.js'
import type {
  BalanceMeter,
  AccountStatus,
  CacheEntry,
  ErrorInfo,
  Level,
  SpendMeter,
  Thresholds,
  UsageWindow,
} from './model.js'
import type { Account } from './model.js'

/** What renderers read: cache entries turned into render-time facts (countdowns, rollover, levels). */

export interface WindowView extends UsageWindow {
  /** The window's reset passed since the fetch: shown as 0 % until the next fetch. */
  rolledOver: boolean
}

export interface AccountView {
  key: string
  provider: string
  id: string
  label: string
  plan: string | null
  email: string | null
  status: AccountStatus
  fetchedAt: string | null
  ageSeconds: number | null
  windows: WindowView[]
  spend: SpendMeter[]
  balances: BalanceMeter[]
  error: ErrorInfo | null
  retryAt: string | null
  /** The meter that drives the short text, colour and class; null when nothing is known. */
  driver: { id: string; label: string; percent: number; resetsAt: string | null } | null
  level: Level
  /** A new session of the provider's CLI would use this login (set by the caller that knows env). */
  active: boolean
  /** The most headroom among this provider's accounts now (src/accounts/headroom.ts). */
  best: boolean
}

export interface View {
  generatedAt: string
  accounts: AccountView[]
  thresholds: Thresholds
  /** Set when there is nothing to show: no accounts, or a config that could not be read. */
  problem: ErrorInfo | null
  /** The account whose segment is the short text (a bar click chose it); absent: the most constrained. */
  focus?: string | null
}

/** After `resetsAt` an idle account has used nothing: 0 %, next reset one window later if known. */
export function rollWindow(w: UsageWindow, nowMs: number): WindowView {
  const reset = w.resetsAt ? Date.parse(w.resetsAt) : Number.NaN
  if (!(reset <= nowMs)) return { ...w, rolledOver: false }
  let next: string | null = null
  // A 5-hour session starts at the first message, so its next reset is unknowable; fixed cadences roll on.
  if (w.windowSeconds && w.id !== 'session') {
    const step = w.windowSeconds * 1000
    next = new Date(reset + Math.ceil((nowMs - reset + 1) / step) * step).toISOString()
  }
  return { ...w, usedPercent: 0, resetsAt: next, rolledOver: true }
}

export function levelOf(percent: number, t: Thresholds): Level {
  return percent >= t.critical ? 'critical' : percent >= t.warning ? 'warning' : 'ok'
}

export interface Budget {
  amount: number
  currency: string
  period: 'day' | 'month'
}

function isBudget(value: unknown): value is Budget {
  if (typeof value !== 'object' || value === null) return false
  const b = value as Partial<Budget>
  return (
    typeof b.amount === 'number' &&
    typeof b.currency === 'string' &&
    (b.period === 'day' || b.period === 'month')
  )
}

/**
 * An account's own `budget` becomes the limit of the spend meter for the same period and
 * currency (a provider's own cap wins), so spend drives thresholds, classes and colour like a
 * quota window. A meter in another currency is left alone: money is never converted or mixed.
 */
export function applyBudget(spend: SpendMeter[], budget: unknown): SpendMeter[] {
  if (!isBudget(budget)) return spend
  return spend.map((s) =>
    s.limit === null && s.period === budget.period && s.currency === budget.currency
      ? { ...s, limit: budget.amount }
      : s,
  )
}

/** `auto`: the most constrained window (spend limits only when there is no window at all). */
function pickDriver(windows: WindowView[], spend: SpendMeter[], want: string): AccountView['driver'] {
  if (want !== 'auto') {
    const w = windows.find((x) => x.id === want)
    return w ? { id: w.id, label: w.label, percent: w.usedPercent, resetsAt: w.resetsAt } : null
  }
  let best: AccountView['driver'] = null
  for (const w of windows) {
    if (!best || w.usedPercent > best.percent)
      best = { id: w.id, label: w.label, percent: w.usedPercent, resetsAt: w.resetsAt }
  }
  if (best) return best
  for (const s of spend) {
    if (s.limit === null || s.limit <= 0) continue
    const percent = (s.used / s.limit) * 100
    if (!best || percent > best.percent) best = { id: s.id, label: s.label, percent, resetsAt: null }
  }
  return best
}

export function buildAccountView(
  account: Account,
  entry: CacheEntry | null,
  now: Date,
  thresholds: Thresholds,
  window = 'auto',
): AccountView {
  const t = now.getTime()
  const snap = entry?.snapshot ?? null
  const windows = (snap?.windows ?? []).map((w) => rollWindow(w, t))
  const spend = applyBudget(snap?.spend ?? [], account.budget)
  const driver = pickDriver(windows, spend, window)
  return {
    key: account.key,
    provider: account.provider,
    id: account.id,
    label: account.label,
    plan: snap?.plan ?? null,
    email: snap?.email ?? null,
    status: deriveStatus(entry, account, now),
    fetchedAt: snap?.fetchedAt ?? null,
    ageSeconds: snap ? Math.max(0, Math.round((t - Date.parse(snap.fetchedAt)) / 1000)) : null,
    windows,
    spend,
    balances: snap?.balances ?? [],
    error: entry?.error ?? null,
    retryAt: entry?.retryAt && Date.parse(entry.retryAt) > t ? entry.retryAt : null,
    driver,
    // Money without a limit constrains nothing: such an account is "ok" while its data is usable.
    level: driver
      ? levelOf(driver.percent, thresholds)
      : snap && (spend.length > 0 || (snap.balances ?? []).length > 0)
        ? 'ok'
        : 'unknown',
    active: false,
    best: false,
  }
}

const LEVEL_RANK: Record<Level, number> = { unknown: 0, ok: 1, warning: 2, critical: 3 }

export function worstLevel(accounts: AccountView[]): Level {
  let worst: Level = 'unknown'
  for (const a of accounts) if (LEVEL_RANK[a.level] > LEVEL_RANK[worst]) worst = a.level
  return worst
}
