import type { AccountView } from '../view.js'

/**
 * "Which account should I start the next session with?" — pure arithmetic over the cached
 * windows, cheap enough for the render path (the Waybar tooltip marks the winner).
 *
 * A window's headroom blends what will be left at the current pace with a fresh window after its
 * reset, over the coming hour (a typical working stretch):
 *
 *     ahead = burn × min(1 h, resetsIn)        (what the recent burn rate uses before the hour or
 *                                               the reset; 0 without a forecast)
 *     left  = 100 − used − ahead               (clamped to 0–100)
 *     soon  = max(0, 1 − resetsIn / 1 h)      (0 when the reset is an hour or more away, or unknown)
 *     score = left + (100 − left) × soon
 *
 * i.e. for the part of the hour before the reset you have what is left at this pace, for the part
 * after it a whole window. A window at 90 % that resets in 5 minutes scores 92.5 (nearly free);
 * the same window resetting in 3 hours scores 10; a window at 40 % burning 30 %/h scores 30, not
 * 60: the account you are draining now has less headroom than its number says. An account's
 * headroom is its tightest window's score.
 *
 * Spend limits count only when the account reports no window at all (as for the bar's driver).
 * Accounts without data, in error, expired, in a provider cooldown, or whose login is broken
 * (stale numbers behind an auth/credentials/forbidden/config error) are not eligible, and
 * neither is one with no headroom left.
 */

export const HORIZON_SECONDS = 3600

export function windowScore(usedPercent: number, resetsInSeconds: number | null, burnPerHour = 0): number {
  const until = Math.min(
    HORIZON_SECONDS,
    resetsInSeconds === null ? HORIZON_SECONDS : Math.max(0, resetsInSeconds),
  )
  const ahead = Math.max(0, burnPerHour) * (until / 3600)
  const left = Math.min(100, Math.max(0, 100 - usedPercent - ahead))
  const soon = resetsInSeconds === null ? 0 : Math.max(0, 1 - Math.max(0, resetsInSeconds) / HORIZON_SECONDS)
  return left + (100 - left) * soon
}

export type HeadroomInput = Pick<AccountView, 'status' | 'windows' | 'spend' | 'error'>

export interface Headroom {
  /** 0–100; null when the account is not eligible for want of data. */
  score: number | null
  /** The mean of the window scores, to break ties between equally tight accounts. */
  mean: number | null
  /** The meter that sets the score, e.g. `5h 10% left, resets in 5m` material. */
  limiting: { label: string; usedPercent: number; resetsAt: string | null } | null
  eligible: boolean
  /** Why the account is not eligible (or a note such as "no limits reported"). */
  reason: string | null
}

const BROKEN_LOGIN = new Set(['auth', 'credentials', 'forbidden', 'config'])

function ineligible(reason: string): Headroom {
  return { score: null, mean: null, limiting: null, eligible: false, reason }
}

export function accountHeadroom(a: HeadroomInput, nowMs: number): Headroom {
  if (a.status === 'pending') return ineligible('no data yet')
  if (a.status === 'expired') return ineligible('login expired')
  if (a.status === 'cooldown') return ineligible('rate-limited by the provider (cooldown)')
  if (a.status === 'error') return ineligible(a.error ? a.error.message : 'no usable data')
  if (a.error && BROKEN_LOGIN.has(a.error.kind)) return ineligible(a.error.message)
  const meters = a.windows.map((w) => ({
    label: w.label,
    usedPercent: w.usedPercent,
    resetsAt: w.resetsAt,
    score: windowScore(
      w.usedPercent,
      w.resetsAt ? (Date.parse(w.resetsAt) - nowMs) / 1000 : null,
      w.burnPerHour ?? 0,
    ),
  }))
  if (meters.length === 0) {
    for (const s of a.spend) {
      if (s.limit === null || s.limit <= 0) continue
      const used = (s.used / s.limit) * 100
      meters.push({ label: s.label, usedPercent: used, resetsAt: null, score: windowScore(used, null) })
    }
  }
  if (meters.length === 0) {
    return { score: 100, mean: 100, limiting: null, eligible: true, reason: 'no limits reported' }
  }
  let tight = meters[0] as (typeof meters)[number]
  for (const m of meters) if (m.score < tight.score) tight = m
  const mean = meters.reduce((sum, m) => sum + m.score, 0) / meters.length
  const { score: _, ...limiting } = tight
  if (tight.score <= 0) {
    return { score: 0, mean, limiting, eligible: false, reason: `${tight.label} is at its limit` }
  }
  return { score: tight.score, mean, limiting, eligible: true, reason: null }
}

/** Higher score wins, then the higher mean; the first listed wins a full tie (config order). */
export function pickBest<T extends HeadroomInput>(
  accounts: T[],
  nowMs: number,
): { account: T; headroom: Headroom } | null {
  let best: { account: T; headroom: Headroom } | null = null
  for (const account of accounts) {
    const headroom = accountHeadroom(account, nowMs)
    if (!headroom.eligible || headroom.score === null) continue
    const b = best?.headroom
    if (
      !b ||
      headroom.score > (b.score ?? 0) ||
      (headroom.score === b.score && (headroom.mean ?? 0) > (b.mean ?? 0))
    )
      best = { account, headroom }
  }
  return best
}

/**
 * The keys to mark "best now" in a list of accounts: one per provider (you switch between logins
 * of the same tool), and only where that provider has more than one account to choose from.
 */
export function bestKeys(accounts: (HeadroomInput & { key: string; provider: string })[], nowMs: number) {
  const byProvider = new Map<string, (HeadroomInput & { key: string; provider: string })[]>()
  for (const a of accounts) {
    const group = byProvider.get(a.provider)
    if (group) group.push(a)
    else byProvider.set(a.provider, [a])
  }
  const keys = new Set<string>()
  for (const group of byProvider.values()) {
    if (group.length < 2) continue
    const best = pickBest(group, nowMs)
    if (best) keys.add(best.account.key)
  }
  return keys
}
