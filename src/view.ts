import { deriveStatus } from './cache/freshness.js'
import type {
  Account,
  BalanceMeter,
  AccountStatus,
  CacheEntry,
  ErrorInfo,
  Level,
  SpendMeter,
  Thresholds,
  UsageSnapshot,
  UsageWindow,
  WindowBurn,
} from './model.js'
import { NO_PACE, type Pace, paceOf, sparkAt } from './pace.js'

/** What renderers read: cache entries turned into render-time facts (countdowns, rollover, levels). */

export interface WindowView extends UsageWindow, Pace {
  /** The window's reset passed since the fetch: shown as 0 % until the next fetch. */
  rolledOver: boolean
}

/** The meter that drives an account's short text, colour and class. */
export interface Driver {
  id: string
  label: string
  percent: number
  resetsAt: string | null
  /**
   * When the window runs out at the recent pace, if before its reset: the countdown counts to this
   * instead of `resetsAt` (it comes first by construction). Null for spend meters.
   */
  exhaustsAt: string | null
  /** Chosen (`--window`, a click), not the most constrained: the short text names it. */
  pinned: boolean
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
  /** Parts of the last answer left out because they did not parse (a malformed window). */
  notes: string[]
  error: ErrorInfo | null
  retryAt: string | null
  /** The meter that drives the short text, colour and class; null when nothing is known. */
  driver: Driver | null
  level: Level
  /**
   * The driver window's usage over the last day, hourly buckets, oldest first, the last one
   * holding now; null in a bucket = no point recorded (a gap, not 0). Null without history.
   */
  spark: (number | null)[] | null
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

/**
 * After `resetsAt` an idle account has used nothing: 0 %, next reset one window later if known.
 * Pace fields stay empty here; `paceWindows` fills them from the entry's burn.
 */
export function rollWindow(w: UsageWindow, nowMs: number): WindowView {
  const reset = w.resetsAt ? Date.parse(w.resetsAt) : Number.NaN
  // Object.assign onto {}, not `{ ...w, ...NO_PACE, ... }`: V8 builds that literal as a dictionary
  // (1.9 KB a window against 0.3 KB measured), and a render rolls every window of every account.
  if (!(reset <= nowMs)) return Object.assign({}, w, NO_PACE, { rolledOver: false })
  let next: string | null = null
  // A 5-hour session starts at the first message, so its next reset is unknowable; fixed cadences roll on.
  if (w.windowSeconds && w.id !== 'session') {
    const step = w.windowSeconds * 1000
    next = new Date(reset + Math.ceil((nowMs - reset + 1) / step) * step).toISOString()
  }
  return Object.assign({}, w, NO_PACE, { usedPercent: 0, resetsAt: next, rolledOver: true })
}

export function levelOf(percent: number, t: Thresholds): Level {
  return percent >= t.critical ? 'critical' : percent >= t.warning ? 'warning' : 'ok'
}

/** `thresholds.pace` (on unless false): a window on course to run out before its reset is at least `warning`. */
export function windowLevel(w: Pick<WindowView, 'usedPercent' | 'exhaustsAt'>, t: Thresholds): Level {
  const level = levelOf(w.usedPercent, t)
  return level === 'ok' && w.exhaustsAt !== null && t.pace !== false ? 'warning' : level
}

/**
 * Each window with its pace. Unobserved time counts as idle only after the next refresh was due
 * (twice the interval: one late refresh is not idleness), and never during a 429 cooldown: the
 * provider made that gap, the account's use went on as far as anyone knows.
 */
export function paceWindows(
  snap: UsageSnapshot | null,
  burns: WindowBurn[] | undefined,
  nowMs: number,
  refreshSeconds: number,
  cooldownUntil: string | null,
): WindowView[] {
  if (!snap) return []
  const fromMs = Date.parse(snap.fetchedAt)
  const held = cooldownUntil ? Date.parse(cooldownUntil) : 0
  return snap.windows.map((raw) => {
    const w = rollWindow(raw, nowMs)
    const burn = burns?.find((b) => b.id === w.id)
    const last = Math.max(fromMs, burn ? Date.parse(burn.at) : 0)
    const idleAfterMs = Math.max(last + 2 * refreshSeconds * 1000, held)
    // `w` is rollWindow's fresh copy: filled in place, not copied again (a render does this per window).
    return Object.assign(w, paceOf(w, burn, { nowMs, fromMs, idleAfterMs }))
  })
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

// With `thresholds.pace: false` the forecast stays in the data (json, tooltip) but not in the short text.
const windowDriver = (w: WindowView, t: Thresholds, pinned: boolean): Driver => ({
  id: w.id,
  label: w.label,
  percent: w.usedPercent,
  resetsAt: w.resetsAt,
  exhaustsAt: t.pace === false ? null : w.exhaustsAt,
  pinned,
})

/**
 * `auto`: the most constrained window: the highest level first (pace counted), then one that runs
 * out before its reset (it is the one that will stop you), then the highest share. Spend limits
 * drive only when there is no window at all. A named window drives where the account has it; an
 * account without it (`--window weekly` beside a monthly-only Copilot) keeps its own `auto` choice
 * rather than looking empty, and so still counts toward the worst level.
 */
function pickDriver(windows: WindowView[], spend: SpendMeter[], want: string, t: Thresholds): Driver | null {
  const named = want === 'auto' ? undefined : windows.find((x) => x.id === want)
  if (named) return windowDriver(named, t, true)
  const score = (w: WindowView) =>
    LEVEL_RANK[windowLevel(w, t)] * 1e6 + (w.exhaustsAt && t.pace !== false ? 1e5 : 0) + w.usedPercent
  let top: WindowView | null = null
  for (const w of windows) if (!top || score(w) > score(top)) top = w
  if (top) return windowDriver(top, t, false)
  let best: Driver | null = null
  for (const s of spend) {
    if (s.limit === null || s.limit <= 0) continue
    const percent = (s.used / s.limit) * 100
    if (!best || percent > best.percent)
      best = { id: s.id, label: s.label, percent, resetsAt: null, exhaustsAt: null, pinned: false }
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
  const cooldownUntil = entry?.cooldown ? entry.retryAt : null
  const windows = paceWindows(snap, entry?.burn, t, account.refreshSeconds, cooldownUntil)
  const spend = applyBudget(snap?.spend ?? [], account.budget)
  const driver = pickDriver(windows, spend, window, thresholds)
  const driverWindow = driver ? windows.find((w) => w.id === driver.id) : undefined
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
    notes: Array.isArray(snap?.notes) ? snap.notes.filter((n) => typeof n === 'string') : [],
    error: entry?.error ?? null,
    retryAt: entry?.retryAt && Date.parse(entry.retryAt) > t ? entry.retryAt : null,
    driver,
    // Money without a limit constrains nothing: such an account is "ok" while its data is usable.
    level: driverWindow
      ? windowLevel(driverWindow, thresholds)
      : driver
        ? levelOf(driver.percent, thresholds)
        : snap && (spend.length > 0 || (snap.balances ?? []).length > 0)
          ? 'ok'
          : 'unknown',
    spark: driverWindow ? sparkAt(entry?.burn?.find((b) => b.id === driverWindow.id)?.spark, t) : null,
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
