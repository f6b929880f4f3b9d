import { keyVariableAccounts } from '../env-keys.js'
import type { ProviderDescriptor } from '../types.js'

export const DEEPSEEK_KEY_ENV = 'DEEPSEEK_API_KEY'

export const deepseekDescriptor = {
  id: 'deepseek',
  name: 'DeepSeek',
  icons: { nerd: '\uf002', emoji: '🐋' }, // nf-fa-search
  loginCommand: null,
  // A prepaid balance has no reset window: it only moves as the key spends. Ten minutes keeps the
  // bar current enough; the floor matches OpenRouter's documented 60 s for the same kind of call.
  defaultRefreshSeconds: 600,
  minRefreshSeconds: 60,
  credentialFiles: () => [],
  ...keyVariableAccounts('deepseek', DEEPSEEK_KEY_ENV),
} satisfies ProviderDescriptor
