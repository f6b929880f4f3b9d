import { keyVariableAccounts } from '../env-keys.js'
import type { ProviderDescriptor } from '../types.js'

export const openaiDescriptor = {
  id: 'openai',
  name: 'OpenAI',
  icons: { nerd: '\uf0e7', emoji: '🌀' }, // nf-fa-bolt
  // An admin key is created on the website, not by a CLI.
  loginCommand: null,
  // Costs come in daily buckets that lag by minutes to hours (§3.3), and each refresh is two paged
  // calls against the organisation's rate limit: every 15 minutes is plenty, every 5 the floor.
  defaultRefreshSeconds: 900,
  minRefreshSeconds: 300,
  // Keys come from the environment, a command or quotabar's own store: no other tool's file.
  credentialFiles: () => [],
  ...keyVariableAccounts('openai', 'OPENAI_ADMIN_KEY'),
} satisfies ProviderDescriptor
