import { parseAccount } from '../../src/providers/fields.js'
import { fetchAccount } from '../../src/providers/result.js'
import type { Account, FetchContext, FetchResult, ProviderAdapter } from '../../src/providers/types.js'

/**
 * An adapter's fetch as a refresh makes it: the account read once through its provider's fields
 * object, as the config loader reads it (parseAccount), then fetchAccount (a broken rule is the
 * account's error, no request).
 */
export function fetchLoaded<A extends Account>(
  adapter: ProviderAdapter<A>,
  account: Account,
  ctx: FetchContext,
): Promise<FetchResult> {
  return fetchAccount(adapter, parseAccount(account), ctx)
}
