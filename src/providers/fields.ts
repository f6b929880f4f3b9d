import { z } from 'zod'
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

/** Every provider-specific field once; a key two providers share must be the same schema. */
export function providerFields(): ProviderField[] {
  const out = new Map<string, ProviderField>()
  for (const [provider, fields] of Object.entries(accountFields)) {
    for (const [name, schema] of Object.entries(fields.shape as Record<string, z.ZodType>)) {
      const seen = out.get(name)
      if (!seen) out.set(name, { name, schema, providers: [provider] })
      else if (seen.schema !== schema)
        throw new Error(`${provider}.${name} differs from ${seen.providers[0]}.${name}: share one schema`)
      else seen.providers.push(provider)
    }
  }
  return [...out.values()]
}
