import { keyVariableAccounts } from '../env-keys.js'
import type { ProviderDescriptor } from '../types.js'

export const MINIMAX_KEY_ENV = 'MINIMAX_API_KEY'

export const minimaxDescriptor = {
  id: 'minimax',
  name: 'MiniMax',
  icons: { nerd: '\uf0e4', emoji: '📈' }, // nf-fa-dashboard
  loginCommand: null,
  // A rolling 5-hour interval and a week: 5 min is current enough; the model API's own limits are
  // per minute, and nothing documents the remains endpoint's, so the plan endpoints' 120 s floor.
  defaultRefreshSeconds: 300,
  minRefreshSeconds: 120,
  credentialFiles: () => [],
  ...keyVariableAccounts('minimax', MINIMAX_KEY_ENV),
} satisfies ProviderDescriptor
