import { keyVariableAccounts } from '../env-keys.js'
import type { ProviderDescriptor } from '../types.js'

export const anthropicDescriptor = {
  id: 'anthropic',
  name: 'Anthropic',
  icons: { nerd: '\uf0eb', emoji: '🅰️' }, // nf-fa-lightbulb_o
  // An Admin API key is created in the Console, not by a CLI.
  loginCommand: null,
  // Cost comes in daily buckets, usage data lands within minutes, and each refresh is two paged
  // calls on the organisation's admin rate limit: every 15 minutes is plenty, every 5 the floor.
  defaultRefreshSeconds: 900,
  minRefreshSeconds: 300,
  // Keys come from the environment, a command or quotabar's own store: no other tool's file.
  credentialFiles: () => [],
  ...keyVariableAccounts('anthropic', 'ANTHROPIC_ADMIN_KEY'),
} satisfies ProviderDescriptor
