import { claudeDescriptor } from './claude/descriptor.js'
import { anthropicDescriptor } from './anthropic/descriptor.js'
import { copilotOrgDescriptor } from './copilot-org/descriptor.js'
import { openaiDescriptor } from './openai/descriptor.js'
import { commandDescriptor } from './command/descriptor.js'
import { deepseekDescriptor } from './deepseek/descriptor.js'
import { moonshotDescriptor } from './moonshot/descriptor.js'
import { openrouterDescriptor } from './openrouter/descriptor.js'
import { codexDescriptor } from './codex/descriptor.js'
import { copilotDescriptor } from './copilot/descriptor.js'
import { cursorDescriptor } from './cursor/descriptor.js'
import { geminiDescriptor } from './gemini/descriptor.js'
import { openCodeDescriptor } from './opencode/descriptor.js'
import { zaiDescriptor } from './zai/descriptor.js'
import { kimiDescriptor } from './kimi/descriptor.js'
import { minimaxDescriptor } from './minimax/descriptor.js'
import { factoryDescriptor } from './factory/descriptor.js'
import { antigravityDescriptor } from './antigravity/descriptor.js'
import { claudeWebDescriptor } from './claude-web/descriptor.js'
import type { ProviderDescriptor } from './types.js'

/** The light provider table, safe for the cached render path. Heavy adapters: ./load-adapter.ts. */
export const descriptors = {
  claude: claudeDescriptor,
  codex: codexDescriptor,
  copilot: copilotDescriptor,
  cursor: cursorDescriptor,
  gemini: geminiDescriptor,
  openrouter: openrouterDescriptor,
  deepseek: deepseekDescriptor,
  moonshot: moonshotDescriptor,
  command: commandDescriptor,
  openai: openaiDescriptor,
  anthropic: anthropicDescriptor,
  'copilot-org': copilotOrgDescriptor,
  opencode: openCodeDescriptor,
  zai: zaiDescriptor,
  kimi: kimiDescriptor,
  minimax: minimaxDescriptor,
  factory: factoryDescriptor,
  antigravity: antigravityDescriptor,
  'claude-web': claudeWebDescriptor,
} satisfies Record<string, ProviderDescriptor>

export type ProviderId = keyof typeof descriptors

export const providerIds = Object.keys(descriptors) as ProviderId[]

/** The table as the interface sees it, in registry order. */
export const descriptorList: readonly ProviderDescriptor[] = Object.values(descriptors)

export function getDescriptor(id: string): ProviderDescriptor | undefined {
  return Object.hasOwn(descriptors, id) ? descriptors[id as ProviderId] : undefined
}
