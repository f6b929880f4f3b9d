import type { CacheEntry } from '../model.js'
import type { Account } from '../model.js'

/**
 * When `watch` has something to do, computed from the cached entries, so it sleeps instead of
 * re-rendering every second.
 *
 * Rendered time is minute-grained (`resets in 2h 14m`, `updated 3m ago`, `next try in 4m`), and
 * each of those durations counts from an anchor (a reset, a fetch, a retry time). So the text can
 * only change when the clock passes an anchor plus a whole number of minutes — plus the one-off
 * moments an account turns stale or leaves its cooldown. The next such moment (a little after
 * it, past formatDuration's rounding) is when to render again.
 */

const MINUTE = 60_000
/** formatDuration rounds to the second: the minute flips up to 0.5 s either side of the anchor. */
const PAST_ROUNDING_MS = 600
/** deriveStatus: data turns stale this long after its refresh interval. */
const STALE_GRACE_MS = 120_000

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NaN)

export function nextChangeAt(entries: (CacheEntry | null)[], accounts: Account[], nowMs: number): number {
  let next = Number.POSITIVE_INFINITY
  const minuteOf = (anchor: number) => {
    if (!Number.isFinite(anchor)) return
    const since = (((nowMs - PAST_ROUNDING_MS - anchor) % MINUTE) + MINUTE) % MINUTE
    next = Math.min(next, nowMs + (MINUTE - since))
  }
  const once = (at: number) => {
    if (Number.isFinite(at) && at > nowMs) next = Math.min(next, at + PAST_ROUNDING_MS)
  }
  entries.forEach((e, i) => {
    const snap = e?.snapshot
    if (snap) {
      minuteOf(ms(snap.fetchedAt))
      for (const w of snap.windows) minuteOf(ms(w.resetsAt))
      const account = accounts[i]
      if (account) once(ms(snap.fetchedAt) + account.refreshSeconds * 1000 + STALE_GRACE_MS)
    }
    if (e?.retryAt) {
      minuteOf(ms(e.retryAt))
      once(ms(e.retryAt))
    }
  })
  return next
}

/**
 * The earliest moment an account may become due by time alone (isDue stays the judge; a changed
 * login file is found by the periodic check). Never-fetched accounts are due now.
 */
export function nextDueAt(entries: (CacheEntry | null)[], accounts: Account[], nowMs: number): number {
  let next = Number.POSITIVE_INFINITY
  accounts.forEach((a, i) => {
    const e = entries[i]
    if (!e?.lastAttemptAt) {
      next = Math.min(next, nowMs)
      return
    }
    const retry = ms(e.retryAt)
    const last = ms(e.lastAttemptAt)
    let at = retry > nowMs || e.error ? retry : last + a.refreshSeconds * 1000
    // A window's reset makes the account due (freshness.nextFetch), never before the floor.
    const fetched = ms(e.snapshot?.fetchedAt)
    for (const w of e.snapshot?.windows ?? []) {
      const r = ms(w.resetsAt)
      if (r > fetched && !(retry > nowMs && e.cooldown))
        at = Math.min(at, Math.max(r, last + (a.minRefreshSeconds ?? 0) * 1000))
    }
    next = Math.min(next, Number.isFinite(at) ? at : nowMs)
  })
  return next
}
