import type { Account } from '../model.js'
import { credentialFingerprint, failedCredential, NOTHING_KNOWN } from '../providers/credential-info.js'
import { loadAdapter } from '../providers/load-adapter.js'
import type { CredentialInfo, FetchContext } from '../providers/types.js'
import { resolveApiKey } from '../secrets.js'

export type { CredentialInfo }
export type InspectDeps = FetchContext

/**
 * What `doctor` may say about a login: the adapter's own `inspect` (its read-only readers, so it
 * sees exactly what a fetch would), else the key sources every provider shares.
 */
export async function inspectCredential(account: Account, deps: InspectDeps): Promise<CredentialInfo> {
  const inspect = (await loadAdapter(account.provider))?.inspect
  // A login read with fields its provider refuses is that account's config error (as its fetch).
  if (inspect) return account.invalid ? failedCredential(account.invalid, null) : inspect(account, deps)
  // apiKeyEnv, apiKeyCommand or a key stored by `accounts add`; without any of them the
  // provider may still fall back to its well-known variable, which only its fetch knows.
  const key = await resolveApiKey(account, deps.env)
  if (key.ok)
    return {
      ...NOTHING_KNOWN,
      found: true,
      source: key.source,
      fingerprint: credentialFingerprint(key.secret),
    }
  if (account.apiKeyEnv || account.apiKeyCommand) return failedCredential(key.error, null)
  return { ...NOTHING_KNOWN, note: 'read by the provider when it fetches (see endpoint)' }
}
