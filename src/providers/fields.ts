import { z } from 'zod'
import { formatPath } from '../issue-path.js'
import type { AccountConfig, ErrorInfo } from '../model.js'
import { anthropicFields } from './anthropic/fields.js'
import { claudeFields } from './claude/fields.js'
import { claudeWebFields } from './claude-web/fields.js'
import { commandFields } from './command/fields.js'
import { copilotFields } from './copilot/fields.js'
import { copilotOrgFields } from './copilot-org/fields.js'
import type { ProviderId } from './descriptors.js'
import { geminiFields } from './gemini/fields.js'
import { minimaxFields } from './minimax/fields.js'
import { openaiFields } from './openai/fields.js'
import { zaiFields } from './zai/fields.js'

/**
 * Each provider's own account fields (a zod object in its folder), for the full CLI only: the
 * config schema (src/config/schema.ts) and the `accounts add` flags are built from this table.
 * It stays out of the descriptor table's module graph so the bin never loads zod.
 */
const NONE = z.object({})

export const accountFields = {
  claude: claudeFields,
  codex: NONE,
  copilot: copilotFields,
  cursor: NONE,
  gemini: geminiFields,
  openrouter: NONE,
  deepseek: NONE,
  moonshot: NONE,
  command: commandFields,
  openai: openaiFields,
  anthropic: anthropicFields,
  'copilot-org': copilotOrgFields,
  opencode: NONE,
  zai: zaiFields,
  kimi: NONE,
  minimax: minimaxFields,
  factory: NONE,
  antigravity: NONE,
  'claude-web': claudeWebFields,
} satisfies Record<ProviderId, z.ZodObject>

export interface ProviderField {
  name: string
  schema: z.ZodType
  /** The providers whose accounts take it, in registry order. */
  providers: string[]
}

/**
 * Every provider-specific field once; a key two providers share must be the same schema. A field's
 * default is its provider's, applied when an account is read (parseAccount): the config file's
 * schema and the flags take the field as optional, so no other provider's account gets it.
 */
export function providerFields(): ProviderField[] {
  const out = new Map<string, ProviderField & { own: z.ZodType }>()
  for (const [provider, fields] of Object.entries(accountFields)) {
    for (const [name, own] of Object.entries(fields.shape as Record<string, z.ZodType>)) {
      const seen = out.get(name)
      const schema = own instanceof z.ZodDefault ? (own.unwrap() as z.ZodType).optional() : own
      if (!seen) out.set(name, { name, schema, own, providers: [provider] })
      else if (seen.own !== own)
        throw new Error(`${provider}.${name} differs from ${seen.providers[0]}.${name}: share one schema`)
      else seen.providers.push(provider)
    }
  }
  return [...out.values()].map(({ own: _, ...field }) => field)
}

/**
 * An account read through its provider's fields object, once, wherever accounts are made (the
 * config loader, discovery): its own fields as the object outputs them, so adapters take them
 * typed and never parse again. The object's own rules (a field two providers share but only one
 * requires, two fields that go together) are not the config file's errors: the account keeps the
 * broken rule as `invalid`, its refresh reports it, and the other accounts show as usual.
 */
export function parseAccount<A extends AccountConfig>(account: A): A {
  const fields: z.ZodObject | undefined = Object.hasOwn(accountFields, account.provider)
    ? accountFields[account.provider as ProviderId]
    : undefined
  if (!fields) return account
  const names = Object.keys(fields.shape).filter((name) => account[name] !== undefined)
  const parsed = fields.safeParse(Object.fromEntries(names.map((name) => [name, account[name]])))
  if (parsed.success) return { ...account, ...parsed.data }
  const issue = parsed.error.issues[0]
  const where = issue ? `${formatPath(issue.path)}: ${issue.message}` : 'invalid'
  const invalid: ErrorInfo = {
    kind: 'config',
    message: `account ${account.provider}/${account.id}: ${where}`,
    fix: 'fix this account in config.json',
    httpStatus: null,
  }
  return { ...account, invalid }
}
