import { claudeAdapter } from './claude/adapter.js'
import { anthropicAdapter } from './anthropic/adapter.js'
import { copilotOrgAdapter } from './copilot-org/adapter.js'
import { openaiAdapter } from './openai/adapter.js'
import { commandAdapter } from './command/adapter.js'
import { deepseekAdapter } from './deepseek/adapter.js'
import { moonshotAdapter } from './moonshot/adapter.js'
import { openrouterAdapter } from './openrouter/adapter.js'
import { codexAdapter } from './codex/adapter.js'
import { copilotAdapter } from './copilot/adapter.js'
import { cursorAdapter } from './cursor/adapter.js'
import { geminiAdapter } from './gemini/adapter.js'
import { openCodeAdapter } from './opencode/adapter.js'
import { zaiAdapter } from './zai/adapter.js'
import { kimiAdapter } from './kimi/adapter.js'
import { minimaxAdapter } from './minimax/adapter.js'
import { factoryAdapter } from './factory/adapter.js'
import { antigravityAdapter } from './antigravity/adapter.js'
import { claudeWebAdapter } from './claude-web/adapter.js'
import type { ProviderId } from './descriptors.js'
import type { ProviderAdapter } from './types.js'

/** The heavy provider table, loaded only by a refresh. Light descriptors: ./descriptors.ts. */
export const adapters = {
  claude: claudeAdapter,
  codex: codexAdapter,
  copilot: copilotAdapter,
  cursor: cursorAdapter,
  gemini: geminiAdapter,
  openrouter: openrouterAdapter,
  deepseek: deepseekAdapter,
  moonshot: moonshotAdapter,
  command: commandAdapter,
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  'copilot-org': copilotOrgAdapter,
  opencode: openCodeAdapter,
  zai: zaiAdapter,
  kimi: kimiAdapter,
  minimax: minimaxAdapter,
  factory: factoryAdapter,
  antigravity: antigravityAdapter,
  'claude-web': claudeWebAdapter,
} satisfies Record<ProviderId, ProviderAdapter>

export function getAdapter(id: string): ProviderAdapter | undefined {
  return Object.hasOwn(adapters, id) ? adapters[id as ProviderId] : undefined
}
