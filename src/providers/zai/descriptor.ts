import { keyVariableAccounts } from '../env-keys.js'
import type { ProviderDescriptor } from '../types.js'

export const ZAI_KEY_ENV = 'ZAI_API_KEY'

export const zaiDescriptor = {
  id: 'zai',
  name: 'z.ai',
  icons: { nerd: '\uf219', emoji: '💠' }, // nf-fa-diamond
  loginCommand: null,
  // The 5-hour window moves by the minute at most for a person; 5 min keeps the bar honest. No
  // documented rate limit for the quota endpoint, so the floor is the one used for Codex's (120 s).
  defaultRefreshSeconds: 300,
  minRefreshSeconds: 120,
  credentialFiles: () => [],
  ...keyVariableAccounts('zai', ZAI_KEY_ENV),
} satisfies ProviderDescriptor
