import type { ProviderId } from './descriptors.js'
import type { ProviderAdapter } from './types.js'

/**
 * The adapter table: each adapter module (its payload schemas, readers, HTTP) is evaluated when an
 * account of that provider is fetched or inspected, so refreshing one Claude account does not
 * build nineteen providers' zod schemas. Discovery's synchronous `identity` reads go through
 * ./identities.ts; test/providers/contract.test.ts holds both equal to the adapters.
 */
export const adapterLoaders = {
  claude: async () => (await import('./claude/adapter.js')).claudeAdapter,
  codex: async () => (await import('./codex/adapter.js')).codexAdapter,
  copilot: async () => (await import('./copilot/adapter.js')).copilotAdapter,
  cursor: async () => (await import('./cursor/adapter.js')).cursorAdapter,
  gemini: async () => (await import('./gemini/adapter.js')).geminiAdapter,
  openrouter: async () => (await import('./openrouter/adapter.js')).openrouterAdapter,
  deepseek: async () => (await import('./deepseek/adapter.js')).deepseekAdapter,
  moonshot: async () => (await import('./moonshot/adapter.js')).moonshotAdapter,
  command: async () => (await import('./command/adapter.js')).commandAdapter,
  openai: async () => (await import('./openai/adapter.js')).openaiAdapter,
  anthropic: async () => (await import('./anthropic/adapter.js')).anthropicAdapter,
  'copilot-org': async () => (await import('./copilot-org/adapter.js')).copilotOrgAdapter,
  opencode: async () => (await import('./opencode/adapter.js')).openCodeAdapter,
  zai: async () => (await import('./zai/adapter.js')).zaiAdapter,
  kimi: async () => (await import('./kimi/adapter.js')).kimiAdapter,
  minimax: async () => (await import('./minimax/adapter.js')).minimaxAdapter,
  factory: async () => (await import('./factory/adapter.js')).factoryAdapter,
  antigravity: async () => (await import('./antigravity/adapter.js')).antigravityAdapter,
  'claude-web': async () => (await import('./claude-web/adapter.js')).claudeWebAdapter,
} satisfies Record<ProviderId, () => Promise<ProviderAdapter>>

export function loadAdapter(id: string): Promise<ProviderAdapter | undefined> {
  return Object.hasOwn(adapterLoaders, id) ? adapterLoaders[id as ProviderId]() : Promise.resolve(undefined)
}
