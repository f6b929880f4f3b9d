import { keyVariableAccounts } from '../env-keys.js'
import type { ProviderDescriptor } from '../types.js'

export const OPENROUTER_KEY_ENV = 'OPENROUTER_API_KEY'

export const openrouterDescriptor = {
  id: 'openrouter',
  name: 'OpenRouter',
  icons: { nerd: '\uf074', emoji: '🔀' }, // nf-fa-random
  loginCommand: null,
  // The spec asks for polls ≥60 s (providers-…-openrouter.md §4.4/§6): the key's limit and
  // credits may be up to 60 s stale anyway, and spend moves slowly; 5 min is plenty for a bar.
  defaultRefreshSeconds: 300,
  minRefreshSeconds: 60,
  // The key lives in the environment or comes from a command: no file to watch.
  credentialFiles: () => [],
  ...keyVariableAccounts('openrouter', OPENROUTER_KEY_ENV),
} satisfies ProviderDescriptor
