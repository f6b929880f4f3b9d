import { claudeAdapter } from './claude/adapter.js'
import type { ProviderId } from './descriptors.js'
import type { ProviderAdapter } from './types.js'

/** The heavy provider table, loaded only by a refresh. Light descriptors: ./descriptors.ts. */
export const adapters = {
  claude: claudeAdapter,
} satisfies Record<ProviderId, ProviderAdapter>

export function getAdapter(id: string): ProviderAdapter | undefined {
  return Object.hasOwn(adapters, id) ? adapters[id as ProviderId] : undefined
}
