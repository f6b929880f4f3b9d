import { z } from 'zod'
import { epochMs, isoTimeOf, NUMERIC_TEXT } from './plain-parts.js'

/** Zod pieces every adapter needs: providers drift, so these accept what the specs have seen. */

/**
 * A number, or a numeric string (balances, int64 fields, cents as decimal strings, OpenAI's
 * occasional `"0.06"`, DeepSeek's `" 50.00"`); anything else is a schema error naming the field.
 */
export const numeric = z.union([
  z.number().finite(),
  z.string().regex(NUMERIC_TEXT, 'expected a number such as "12.50"').transform(Number),
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
    const t = isoTimeOf(s)
    if (t === null) {
      ctx.addIssue({ code: 'custom', message: `not a date: ${JSON.stringify(s.slice(0, 40))}` })
      return z.NEVER
    }
    return t
  })
  .nullish()

/** A required time as an ISO string or an epoch number (seconds or ms), normalised to ISO. */
export const instant = z.union([
  z
    .number()
    .finite()
    .transform((n, ctx) => {
      const d = new Date(epochMs(n))
      if (Number.isNaN(d.getTime())) {
        ctx.addIssue({ code: 'custom', message: `not a time: ${n}` })
        return z.NEVER
      }
      return d.toISOString()
    }),
  isoTime.unwrap().unwrap(),
])

/**
 * An optional epoch time as a number or an int64 string (z.ai `nextResetTime`, MiniMax
 * `end_time`), seconds or milliseconds told apart as `epochMs` does, to ISO; 0 or below means
 * "none". A value no Date can hold is a schema error naming the field.
 */
export const epochTime = numeric
  .transform((n, ctx) => {
    if (n <= 0) return null
    const d = new Date(epochMs(n))
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: `not a time: ${n}` })
      return z.NEVER
    }
    return d.toISOString()
  })
  .nullish()

/** A three-letter currency code (the admin cost reports' `currency`). */
export const currencyCode = z.string().regex(/^[A-Za-z]{3}$/, 'a currency code such as "USD"')

/**
 * An id that goes into a report's query string (OpenAI, Anthropic): one word, nothing that could
 * smuggle another parameter.
 */
export function queryId(example: string) {
  return z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, `an id such as "${example}"`)
}

/**
 * Account fields two providers share (one schema each, so the config's merged account object has
 * one rule per key). A provider's own fields live in its `fields.ts`; `.describe()` texts become
 * the JSON Schema descriptions and the `accounts add` flag help.
 */
export const accountFieldParts = {
  hostname: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*(:\d+)?$/, 'a host name such as "octocorp.ghe.com"')
    .describe('GitHub Enterprise host')
    .optional(),
  project: z
    .string()
    .trim()
    .min(1)
    .describe('project id (Google Cloud project; z.ai team project)')
    .optional(),
  region: z.enum(['global', 'cn']).describe('the China platform (cn) instead of the global one').optional(),
  apiKeyId: queryId('apikey_01Rj…" or "key_abc123').describe('limit to one API key').optional(),
  // One schema for both owners (the field table requires it); claude-web checks the uuid itself.
  org: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/, 'a GitHub organisation login, or a claude.ai organisation uuid')
    .describe('organisation (copilot-org: its GitHub login; claude-web: its uuid)')
    .optional(),
}
