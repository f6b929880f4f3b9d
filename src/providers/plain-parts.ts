/**
 * The rules of ./schema-parts.ts without zod, for the hand checks a refresh runs before a schema
 * (src/hand-check.ts has the typeof tests): one home for each rule, so the check and the schema
 * cannot drift apart.
 */

/** A numeric string (`"12.50"`, `" 50.00"`, `"1e3"`), as `numeric` accepts it. */
export const NUMERIC_TEXT = /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/

/** `numeric`'s value for `v`: a finite number, or a numeric string as a number; else null. */
export function numericOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  return typeof v === 'string' && NUMERIC_TEXT.test(v) ? Number(v) : null
}

/**
 * An ISO time normalised to milliseconds (`2026-08-04T16:20:00.001100+00:00` has microseconds),
 * a date-only `2026-08-01` as midnight UTC; null when no Date can read it.
 */
export function isoTimeOf(s: string): string | null {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s.replace(/(\.\d{3})\d+/, '$1')
  const t = Date.parse(text)
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

/**
 * Epoch seconds or milliseconds → milliseconds. The specs say seconds, but some builds and
 * re-serialisations send milliseconds; 1e11 seconds is the year 5138 and 1e11 ms is 1973, so the
 * magnitude tells them apart for any time a provider can mean.
 */
export const epochMs = (n: number) => (Math.abs(n) >= 1e11 ? n : n * 1000)
