import { z } from 'zod'
import { kept, keptArray } from '../../kept.js'
import { isoTime, numberish } from '../schema-parts.js'

/**
 * `GET /api/oauth/usage` (providers-claude-codex-admin-logs.md §1.2). Every key is optional and
 * nullable and new codename keys appear monthly, so only the fields used are declared; unknown keys
 * are dropped by zod. A refresh tries ./usage.ts's hand check first and loads this file only for a
 * reply that check does not vouch for, so the errors and notes are always this schema's.
 */
// Each window, limit and money block is kept alone: a malformed one drops only itself (src/kept.ts).
const windowSchema = kept(z.object({ utilization: z.number().nullish(), resets_at: isoTime }), 'window')

const moneySchema = z.object({
  amount_minor: z.number(),
  currency: z.string().nullish(),
  exponent: z.number().int(),
})

const limitSchema = z.object({
  kind: z.string().nullish(),
  group: z.string().nullish(),
  percent: z.number().nullish(),
  resets_at: isoTime,
  scope: z
    .object({ model: z.object({ id: z.string().nullish(), display_name: z.string().nullish() }).nullish() })
    .nullish(),
})

export const usageSchema = z.object({
  five_hour: windowSchema,
  seven_day: windowSchema,
  seven_day_opus: windowSchema,
  seven_day_sonnet: windowSchema,
  seven_day_cowork: windowSchema,
  seven_day_routines: windowSchema,
  extra_usage: kept(
    z.object({
      is_enabled: z.boolean().nullish(),
      monthly_limit: numberish,
      monthly_credit_limit: numberish,
      used_credits: numberish,
      currency: z.string().nullish(),
      decimal_places: z.number().int().min(0).max(6).nullish(),
    }),
    'extra usage',
  ),
  limits: keptArray(limitSchema, 'limit').nullish(),
  spend: kept(
    z.object({ used: moneySchema.nullish(), limit: moneySchema.nullish(), enabled: z.boolean().nullish() }),
    'spend',
  ),
})

export type ClaudeUsage = z.output<typeof usageSchema>
