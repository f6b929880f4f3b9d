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

const ms = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN)

/**
 * `auto` (a render): due when the interval passed, the login files changed, or it never ran,
 * unless a cooldown or backoff holds. `manual` (`quotabar refresh`): ignores interval and backoff,
 * still honours the provider's 429 cooldown. `force`: always.
 */
export function isDue(
  entry: CacheEntry | null,
  account: Account,
  now: Date,
  stamp: string,
  mode: RefreshMode,
) {
  if (mode === 'force' || !entry?.lastAttemptAt) return true
  const t = now.getTime()
  const held = ms(entry.retryAt) > t
  if (held && entry.cooldown) return false
  if (mode === 'manual') return true
  // A changed login file is worth a look at once when the last attempt failed (the user may just
  // have logged in again); otherwise not before the provider's floor, since some files (Cursor's
  // state.vscdb) change all the time for reasons that have nothing to do with the login.
  const sinceAttempt = t - ms(entry.lastAttemptAt)
  if (
    entry.credentialStamp !== stamp &&
    (entry.error || sinceAttempt >= (account.minRefreshSeconds ?? account.refreshSeconds) * 1000)
  )
    return true
  if (held) return false
  if (entry.error) return true
  return sinceAttempt >= account.refreshSeconds * 1000
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
    const wait = Math.max(result.retryAfterSeconds ?? 0, floor)
    const until = Math.max(t + wait * 1000, prev.cooldown ? ms(prev.retryAt) || 0 : 0) // never shorten a block
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
