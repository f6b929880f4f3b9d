import { z } from 'zod'
import { providerIds } from '../providers/descriptors.js'

/**
 * The config file schema: the single source of truth. `quotabar config schema` prints the JSON
 * Schema generated from it (schema/config.schema.json) for editors.
 */

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like "#d00000"')

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
  // Provider-specific fields (checked against the provider below).
  githubUser: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'a GitHub login such as "octocat"')
    .optional(),
  hostname: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*(:\d+)?$/, 'a host name such as "octocorp.ghe.com"')
    .optional(),
  project: z.string().min(1).optional(),
})

/** Which provider each provider-specific field belongs to. */
const PROVIDER_FIELDS: Record<string, string> = {
  githubUser: 'copilot',
  hostname: 'copilot',
  project: 'gemini',
}

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
      })
      .refine((t) => t.warning <= t.critical, { message: 'warning must not be above critical' })
      .default({ warning: 70, critical: 90 }),
    colors: z
      .strictObject({
        ok: hexColor.optional(),
        warning: hexColor.optional(),
        critical: hexColor.optional(),
        stale: hexColor.optional(),
        error: hexColor.optional(),
      })
      .default({}),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>()
    config.accounts.forEach((a, i) => {
      for (const [field, provider] of Object.entries(PROVIDER_FIELDS)) {
        if (field in a && a.provider !== provider) {
          ctx.addIssue({
            code: 'custom',
            path: ['accounts', i, field],
            message: `only ${provider} accounts take "${field}"`,
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
