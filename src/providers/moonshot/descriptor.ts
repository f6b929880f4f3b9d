import { keyVariableAccounts } from '../env-keys.js'
import type { ProviderDescriptor } from '../types.js'

export const MOONSHOT_KEY_ENV = 'MOONSHOT_API_KEY'

export const moonshotDescriptor = {
  id: 'moonshot',
  name: 'Moonshot',
  icons: { nerd: '\uf186', emoji: '🌙' }, // nf-fa-moon_o
  loginCommand: null,
  // A prepaid balance has no reset window (see deepseek/descriptor.ts for the same choice).
  defaultRefreshSeconds: 600,
  minRefreshSeconds: 60,
  credentialFiles: () => [],
  ...keyVariableAccounts('moonshot', MOONSHOT_KEY_ENV),
} satisfies ProviderDescriptor
