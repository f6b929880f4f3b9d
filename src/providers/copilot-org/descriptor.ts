import { copilotDescriptor } from '../copilot/descriptor.js'
import type { ProviderDescriptor } from '../types.js'

export const copilotOrgDescriptor = {
  id: 'copilot-org',
  name: 'Copilot org',
  icons: { nerd: '\uf1ad', emoji: '🏢' }, // nf-fa-building
  loginCommand: 'gh auth login',
  // Seats change rarely and the billing reports are refreshed by GitHub with a lag; the spec's
  // floor for GitHub org endpoints is 15 minutes (§6), and three calls per refresh count against
  // the token's REST rate limit that the user's other tools share.
  defaultRefreshSeconds: 1800,
  minRefreshSeconds: 900,
  // The same gh login (hosts.yml) as the personal Copilot provider, unless a key is configured.
  credentialFiles: (account, env, home) => copilotDescriptor.credentialFiles(account, env, home),
  undiscoverable: 'which organisation to show cannot be guessed: an account needs `org` in config.json',
  defaultAccounts: () => [],
} satisfies ProviderDescriptor
