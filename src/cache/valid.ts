import { isRec, listOf, num, numOrNull, optional, str, strOrNull } from '../hand-check.js'
import type { CacheEntry } from '../model.js'

/**
 * A hand check of a cache file's shape, field by field, so one damaged entry (a `null` inside
 * `windows`, a string where a number goes) reads as "no entry" for its own account instead of
 * throwing in a renderer and taking every account's line down. Zod stays off the render path:
 * this is a few typeof tests per field.
 */

const isWindow = (w: unknown) =>
  isRec(w) &&
  str(w.id) &&
  str(w.label) &&
  num(w.usedPercent) &&
  strOrNull(w.resetsAt) &&
  numOrNull(w.windowSeconds)

const isSpend = (s: unknown) =>
  isRec(s) &&
  str(s.id) &&
  str(s.label) &&
  num(s.used) &&
  numOrNull(s.limit) &&
  str(s.currency) &&
  str(s.period) &&
  optional(s.tokens, numOrNull) &&
  optional(s.requests, numOrNull)

const isBalance = (b: unknown) =>
  isRec(b) &&
  str(b.id) &&
  str(b.label) &&
  num(b.amount) &&
  str(b.currency) &&
  optional(b.expiresAt, strOrNull)

const isSnapshot = (s: unknown) =>
  isRec(s) &&
  str(s.fetchedAt) &&
  strOrNull(s.plan) &&
  strOrNull(s.email) &&
  listOf(s.windows, isWindow) &&
  listOf(s.spend, isSpend) &&
  optional(s.balances, (b) => listOf(b, isBalance)) &&
  optional(s.notes, (n) => listOf(n, str))

const isError = (e: unknown) =>
  e === null || (isRec(e) && str(e.kind) && str(e.message) && strOrNull(e.fix) && numOrNull(e.httpStatus))

const isSpark = (s: unknown) =>
  s === null || (isRec(s) && str(s.end) && num(s.bucketSeconds) && listOf(s.values, numOrNull))

const isBurn = (b: unknown) =>
  isRec(b) &&
  str(b.id) &&
  strOrNull(b.resetsAt) &&
  str(b.at) &&
  numOrNull(b.percentPerHour) &&
  num(b.weightSeconds) &&
  num(b.tauSeconds) &&
  isSpark(b.spark)

/** The entry when every field has its type; a bad `burn` (derived, optional) is dropped alone. */
export function validEntry(value: unknown, key: string): CacheEntry | null {
  if (!isRec(value) || value.v !== 1 || value.key !== key) return null
  const ok =
    strOrNull(value.fingerprint) &&
    strOrNull(value.credentialStamp) &&
    (value.snapshot === null || isSnapshot(value.snapshot)) &&
    strOrNull(value.lastAttemptAt) &&
    isError(value.error) &&
    strOrNull(value.retryAt) &&
    typeof value.cooldown === 'boolean' &&
    num(value.failures) &&
    num(value.rateLimitStrikes)
  if (!ok) return null
  const entry = value as unknown as CacheEntry
  if (value.burn !== undefined && !listOf(value.burn, isBurn)) {
    const { burn: _dropped, ...rest } = entry
    return rest
  }
  return entry
}
