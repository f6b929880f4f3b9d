import { accountsFromEnv } from '../env-keys.js'
import type { ProviderDescriptor } from '../types.js'

export const CLAUDE_WEB_KEY_ENV = 'CLAUDE_WEB_SESSION_KEY'

export const claudeWebDescriptor = {
  id: 'claude-web',
  name: 'Claude (web)',
  icons: { nerd: '\uf0ac', emoji: '🌐' }, // nf-fa-globe
  loginCommand: null,
  // claude.ai sits behind Cloudflare, which challenges clients that poll often, and one refresh is
  // three requests (usage, overage cap, prepaid credits; a fourth to find the organisation):
  // gentler than the OAuth route's 300 s default and 180 s floor.
  defaultRefreshSeconds: 600,
  minRefreshSeconds: 300,
  credentialFiles: () => [],
  keyVariables: [{ name: CLAUDE_WEB_KEY_ENV }],
  keyFallback: CLAUDE_WEB_KEY_ENV,
  defaultAccounts: (env) => accountsFromEnv('claude-web', [{ name: CLAUDE_WEB_KEY_ENV }], env),
} satisfies ProviderDescriptor
