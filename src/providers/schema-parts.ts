import { z } from 'zod'

/** Zod pieces every adapter needs: providers drift, so these accept what the specs have seen. */

/**
 * A number, or a numeric string (balances, int64 fields, cents as decimal strings, OpenAI's
 * occasional `"0.06"`, DeepSeek's `" 50.00"`); anything else is a schema error naming the field.
 */
export const numeric = z.union([
  z.number().finite(),
  z
    .string()
    .regex(/^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/, 'expected a number such as "12.50"')
    .transform(Number),
])

export const numberish = numeric.nullish()

/**
 * An ISO time, normalised to milliseconds (`2026-08-04T16:20:00.001100+00:00` has microseconds);
 * a date-only `2026-08-01` is midnight UTC. Anything unparseable is a schema error naming the
 * value: a bad date is never silently "no reset".
 */
export const isoTime = z
  .string()
  .transform((s, ctx) => {
    const text = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s.replace(/(\.\d{3})\d+/, '$1')
    const t = Date.parse(text)
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: `not a date: ${JSON.stringify(s.slice(0, 40))}` })
      return z.NEVER
    }
    return new Date(t).toISOString()
  })
  .nullish()
