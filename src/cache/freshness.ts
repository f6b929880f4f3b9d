import type { AccountStatus, CacheEntry, UsageSnapshot } from '../model.js'
import type { Account, FetchResult } from '../model.js'

/** Pure cache semantics (design §5): when an account is due, and what a fetch result does to its entry. */

export type RefreshMode = 'auto' | 'manual' | 'force'

const RATE_LIMIT_FLOOR_S = 300
const RATE_LIMIT_CAP_S = 3600
const BACKOFF_BASE_S = 60
const BACKOFF_CAP_S = 1800
/** A refresh in flight finishes well within this, so data this much past due is not yet "stale". */
const STALE_GRACE_S = 120

const RETRY_AFTER_CAP_S = 24 * 3600

const ms = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN)

/** Why an account is not asked now, and from when it may be. */
export interface Hold {
  /** `cooldown`: the provider's 429; `floor`: its minimum interval; `backoff`: after a failure. */
  why: 'cooldown' | 'floor' | 'backoff' | 'interval'
  /** ISO time of the next allowed fetch. */
  until: string
  /** The provider's floor in seconds (for the message). */
  floorSeconds: number
}

/** The provider's minimum interval: no command, no process, asks more often (design §2, §5). */
export function floorSeconds(account: Account): number {
  return account.minRefreshSeconds ?? 0
}

// A login problem found before any request (no login file, a token past its expiry, a bad config)
// spent nothing at the provider: it starts no floor.
const LOGIN_KINDS = new Set(['credentials', 'auth', 'forbidden', 'config'])
const askedProvider = (e: CacheEntry) =>
  !(e.error && e.error.httpStatus === null && LOGIN_KINDS.has(e.error.kind))

/**
 * Whether an account may be asked now, or what holds it. Every mode honours the provider's 429
 * cooldown (asking inside one only makes it longer: claude-code #30930). Below that:
 * - `force` (`refresh --force`): asks inside the floor, and says so.
 * - `manual` (`refresh`, `verify`, `doctor`, `click 2`, watch's SIGUSR1, `show --watch`'s r):
 *   ignores the interval and the backoff, never the provider's floor.
 * - `auto` (renders, `watch`, `serve`): due when the interval passed, the login files changed, a
 *   window's reset passed, the last attempt failed (after its backoff) or it never ran; never
 *   below the floor either.
 */
export function nextFetch(
  entry: CacheEntry | null,
  account: Account,
  now: Date,
  stamp: string,
  mode: RefreshMode,
): Hold | null {
  const held = holdOf(entry, account, now.getTime(), stamp, mode)
  return (
    held && { why: held.why, until: new Date(held.untilMs).toISOString(), floorSeconds: held.floorSeconds }
  )
}

/** `nextFetch` in epoch ms: a render asks this of every account and needs no date strings. */
function holdOf(
  entry: CacheEntry | null,
  account: Account,
  t: number,
  stamp: string,
  mode: RefreshMode,
): { why: Hold['why']; untilMs: number; floorSeconds: number } | null {
  if (!entry?.lastAttemptAt) return null
  const floor = floorSeconds(account)
  const hold = (why: Hold['why'], untilMs: number) => ({ why, untilMs, floorSeconds: floor })
  const retry = ms(entry.retryAt)
  if (entry.cooldown && retry > t) return hold('cooldown', retry)
  if (mode === 'force') return null
  const last = ms(entry.lastAttemptAt)
  // A clock set back (or a corrupt time) must not hold an account for ever: then the floor is moot.
  if (askedProvider(entry) && t >= last && t - last < floor * 1000) return hold('floor', last + floor * 1000)
  if (mode === 'manual') return null
  // A changed login file is worth a look (the user may just have logged in again); the floor above
  // keeps files that change all the time (Cursor's state.vscdb) from driving requests.
  if (entry.credentialStamp !== stamp) return null
  if (retry > t) return hold('backoff', retry)
  if (entry.error) return null
  // After a window resets the new numbers are what the user wants: due at once (above the floor).
  if (resetPassed(entry.snapshot, t)) return null
  const next = last + account.refreshSeconds * 1000
  // A corrupt time is no reason to wait (it threw here once, taking the bar's line down).
  return t >= next || Number.isNaN(next) ? null : hold('interval', next)
}

function resetPassed(snapshot: UsageSnapshot | null, t: number): boolean {
  if (!snapshot) return false
  const fetched = ms(snapshot.fetchedAt)
  return snapshot.windows.some((w) => {
    const r = ms(w.resetsAt)
    return r > fetched && r <= t
  })
}

export function isDue(
  entry: CacheEntry | null,
  account: Account,
  now: Date,
  stamp: string,
  mode: RefreshMode,
): boolean {
  return holdOf(entry, account, now.getTime(), stamp, mode) === null
}

export function deriveStatus(entry: CacheEntry | null, account: Account, now: Date): AccountStatus {
  if (!entry?.lastAttemptAt) return 'pending'
  const t = now.getTime()
  if (entry.error?.kind === 'auth') return 'expired'
  if (entry.cooldown && ms(entry.retryAt) > t && entry.snapshot) return 'cooldown'
  if (!entry.snapshot) return entry.cooldown && ms(entry.retryAt) > t ? 'cooldown' : 'error'
  if (entry.error) return 'stale'
  const age = (t - ms(entry.snapshot.fetchedAt)) / 1000
  return age > account.refreshSeconds + STALE_GRACE_S ? 'stale' : 'ok'
}

/** A fetch result, as adapters return it. */
export type ApplyInput = FetchResult

/** The newer of two snapshots: a fallback never replaces fresher numbers. */
function newest(a: UsageSnapshot | null, b: UsageSnapshot | null | undefined): UsageSnapshot | null {
  if (!b) return a
  if (!a) return b
  return Date.parse(b.fetchedAt) > Date.parse(a.fetchedAt) ? b : a
}

/** Folds one fetch result into the entry. Failures keep the last good snapshot (same login only). */
export function applyResult(
  prev: CacheEntry,
  result: ApplyInput,
  account: Account,
  now: Date,
  stamp: string,
): CacheEntry {
  const t = now.getTime()
  const iso = now.toISOString()
  const sameLogin =
    prev.fingerprint === null || result.fingerprint === null || prev.fingerprint === result.fingerprint
  const base: CacheEntry = {
    ...prev,
    fingerprint: result.fingerprint ?? prev.fingerprint,
    credentialStamp: stamp,
    lastAttemptAt: iso,
    snapshot: newest(sameLogin ? prev.snapshot : null, result.ok ? null : result.fallback),
  }
  if (result.ok) {
    return {
      ...base,
      snapshot: result.snapshot,
      error: null,
      retryAt: null,
      cooldown: false,
      failures: 0,
      rateLimitStrikes: 0,
    }
  }
  if (result.error.kind === 'rate-limited') {
    const strikes = prev.rateLimitStrikes + 1
    // Retry-After 0 or missing still means "back off": observed 0 on a bucket that never recovers.
    const floor = Math.min(RATE_LIMIT_FLOOR_S * 2 ** (strikes - 1), RATE_LIMIT_CAP_S)
    // Any Retry-After (a year, 1e300, a date in 9999) is clamped: an absurd value must still be a
    // valid time in the cache, or every render would ask again.
    const asked = result.retryAfterSeconds ?? 0
    const wait = Math.min(Math.max(Number.isNaN(asked) ? 0 : asked, floor), RETRY_AFTER_CAP_S)
    const held = prev.cooldown ? ms(prev.retryAt) : Number.NaN
    // Never shorten a block (nor keep one beyond the cap).
    const until = Math.min(
      Math.max(t + wait * 1000, Number.isFinite(held) ? held : 0),
      t + RETRY_AFTER_CAP_S * 1000,
    )
    return {
      ...base,
      error: result.error,
      retryAt: new Date(until).toISOString(),
      cooldown: true,
      rateLimitStrikes: strikes,
    }
  }
  const failures = prev.failures + 1
  const backoff = Math.min(
    Math.max(BACKOFF_BASE_S * 2 ** (failures - 1), minRetrySeconds(account)),
    BACKOFF_CAP_S,
  )
  // A login problem is only fixed by the user; the credential stamp makes it due again when they do.
  const wait =
    result.error.kind === 'auth' || result.error.kind === 'credentials' ? account.refreshSeconds : backoff
  return {
    ...base,
    error: result.error,
    retryAt: new Date(t + wait * 1000).toISOString(),
    cooldown: false,
    failures,
    rateLimitStrikes: prev.rateLimitStrikes,
  }
}

function minRetrySeconds(account: Account): number {
  return Math.max(account.minRefreshSeconds ?? 0, Math.min(account.refreshSeconds, 180))
}
