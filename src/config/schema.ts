import { z } from 'zod'
import { providerIds } from '../providers/descriptors.js'
import { providerFields } from '../providers/fields.js'
import { ICON_STYLES } from '../render/icons.js'
import { parseTemplate } from '../render/template.js'

/**
 * The config file schema: the single source of truth. `quotabar config schema` prints the JSON
 * Schema generated from it (schema/config.schema.json) for editors.
 */

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like "#d00000"')

/** Which providers each provider-specific field belongs to (src/providers/fields.ts). */
const PROVIDER_FIELDS = providerFields()

/** A `--text` style template; an unknown placeholder is named in the error. */
const textTemplate = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    const parsed = parseTemplate(text)
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message })
  })

/** How the short text looks: `{ "text": "{label} {remaining} left" }` (global, or per account). */
const formatSchema = z.strictObject({ text: textTemplate.optional() })

const accountSchema = z.strictObject({
  provider: z.enum(providerIds as [string, ...string[]]),
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'letters, digits, ".", "_" or "-", at most 40, e.g. "work"'),
  label: z.string().min(1).max(40).optional(),
  enabled: z.boolean().optional(),
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'an http(s) origin such as "http://127.0.0.1:8080"' })
    .optional(),
  configDir: z.string().min(1).optional(),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable')
    .optional(),
  apiKeyCommand: z.string().min(1).optional(),
  refreshSeconds: z.number().int().min(1).optional(),
  // Provider-specific fields (each provider's fields.ts), checked against the provider below.
  ...Object.fromEntries(PROVIDER_FIELDS.map((f) => [f.name, f.schema])),
  /** Any account: spend shows as a share of this budget and drives colour like a quota window. */
  budget: z
    .strictObject({
      amount: z.number().positive(),
      currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO currency code such as "USD"'),
      period: z.enum(['day', 'month']),
    })
    .optional(),
  /** This account's short text; wins over the global `format.text`. */
  format: formatSchema.optional(),
})

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).optional(),
    accounts: z.array(accountSchema).default([]),
    refresh: z
      .strictObject({
        intervalSeconds: z.number().int().min(1).optional(),
        /** How long a render with no data at all waits for the first fetch. */
        firstFetchWaitMs: z.number().int().min(0).max(10_000).optional(),
        timeoutSeconds: z.number().min(1).max(120).optional(),
      })
      .default({}),
    thresholds: z
      .strictObject({
        warning: z.number().min(0).max(100).default(70),
        critical: z.number().min(0).max(100).default(90),
        /** A window on course to run out before its reset turns the account `warning` early. */
        pace: z.boolean().default(true),
      })
      .refine((t) => t.warning <= t.critical, { message: 'warning must not be above critical' })
      .default({ warning: 70, critical: 90, pace: true }),
    /** Show emails as `a…@domain` everywhere (also `--redact`). */
    privacy: z.strictObject({ redact: z.boolean().default(false) }).default({ redact: false }),
    /** Desktop notifications when a window crosses a threshold, hits 100 % or resets. */
    notifications: z
      .strictObject({
        enabled: z.boolean().default(false),
        notifySend: z.boolean().default(true),
        /** Runs with the event as JSON on stdin (argv, or a string run by /bin/sh). */
        hook: z.union([z.array(z.string().min(1)).min(1), z.string().min(1)]).optional(),
      })
      .optional(),
    /** Wake the bar after a background refresh wrote new data. */
    nudge: z
      .strictObject({
        waybarSignal: z.number().int().min(1).max(30).optional(),
        i3blocksSignal: z.number().int().min(1).max(30).optional(),
        tmux: z.boolean().optional(),
        polybarHook: z.string().min(1).optional(),
      })
      .optional(),
    /** Local usage logs (Claude Code transcripts, Codex sessions, OpenCode): tokens and cost. */
    logs: z
      .strictObject({
        enabled: z.boolean().default(true),
        timezone: z.string().min(1).optional(),
      })
      .optional(),
    /** One palette for every bar format (Waybar spans and tooltip bars, tmux chips, polybar, i3). */
    colors: z
      .strictObject({
        ok: hexColor.optional(),
        warning: hexColor.optional(),
        critical: hexColor.optional(),
        unknown: hexColor.optional(),
        stale: hexColor.optional(),
        error: hexColor.optional(),
      })
      .default({}),
    /** Glyphs in the text and tooltip: none (default), Nerd Font glyphs, or emoji. */
    icons: z.enum(ICON_STYLES).default('none'),
    /** The short text of every account (`--text` wins; an account's own `format.text` too). */
    format: formatSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>()
    config.accounts.forEach((a, i) => {
      for (const { name: field, providers } of PROVIDER_FIELDS) {
        if (field in a && !providers.includes(a.provider)) {
          ctx.addIssue({
            code: 'custom',
            path: ['accounts', i, field],
            message: `only ${providers.join(' / ')} accounts take "${field}"`,
          })
        }
      }
      const key = `${a.provider}/${a.id}`
      const first = seen.get(key)
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', i, 'id'],
          message: `duplicate account ${key} (also accounts[${first}]); give each account its own id`,
        })
      } else seen.set(key, i)
    })
  })

export type Config = z.output<typeof configSchema>
