import type { ProviderId } from './descriptors.js'
import { claudeIdentity } from './claude/credentials.js'
import { codexIdentity } from './codex/identity.js'
import { geminiIdentity } from './gemini/identity.js'
import { antigravityIdentity } from './antigravity/login.js'
import { factoryIdentity } from './factory/login.js'
import { kimiIdentity } from './kimi/login.js'
import type { ProviderAdapter } from './types.js'

/**
 * The adapters' `identity` (who is logged in to a login dir), straight from their credential
 * readers: discovery and `accounts list` ask it synchronously for every login dir, and going
 * through the adapter table would build every provider's payload schemas and HTTP code to do so.
 * test/providers/contract.test.ts holds each entry equal to its adapter's `identity`.
 */
type Identity = NonNullable<ProviderAdapter['identity']>

export const identities: Readonly<Record<string, Identity | undefined>> = {
  claude: claudeIdentity,
  codex: codexIdentity,
  gemini: geminiIdentity,
  kimi: kimiIdentity,
  factory: factoryIdentity,
  antigravity: antigravityIdentity,
} satisfies Partial<Record<ProviderId, Identity>>
