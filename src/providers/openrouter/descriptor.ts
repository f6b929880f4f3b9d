import type { Env } from '../../config/paths.js'
import type { AccountConfig, ProviderDescriptor } from '../types.js'

/**
 * Key-per-account providers (OpenRouter, DeepSeek, Moonshot) find their accounts in the
 * environment: `<BASE>` is the `default` account and every `<BASE>_<SUFFIX>` another one, id =
 * the suffix in lower case (`OPENROUTER_API_KEY_WORK` → `work`). Light: only env look-ups.
 */

const SUFFIX = /^[A-Za-z0-9][A-Za-z0-9_]{0,39}$/

export function keyAccountsFromEnv(provider: string, baseEnv: string, env: Env): AccountConfig[] {
  const accounts: AccountConfig[] = []
  if (env[baseEnv]) accounts.push({ provider, id: 'default', apiKeyEnv: baseEnv })
  const prefix = `${baseEnv}_`
  const names = Object.keys(env)
    .filter((n) => n.startsWith(prefix) && env[n])
    .sort()
  for (const name of names) {
    const suffix = name.slice(prefix.length)
    if (!SUFFIX.test(suffix)) continue
    const id = suffix.toLowerCase()
    // `<BASE>_DEFAULT` next to `<BASE>` would be a second `default`: the plain variable wins.
    if (accounts.some((a) => a.id === id)) continue
    accounts.push({ provider, id, apiKeyEnv: name })
  }
  return accounts
}

/**
 * The variable a configured account without `apiKeyEnv` falls back to: `<BASE>_<ID>` when it is
 * set (so `{ "id": "work" }` finds `OPENROUTER_API_KEY_WORK`), else `<BASE>`.
 */
export function fallbackKeyEnv(account: Pick<AccountConfig, 'id'>, baseEnv: string, env: Env): string {
  const suffixed = `${baseEnv}_${account.id.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`
  return account.id !== 'default' && env[suffixed] ? suffixed : baseEnv
}

export const OPENROUTER_KEY_ENV = 'OPENROUTER_API_KEY'

export const openrouterDescriptor = {
  id: 'openrouter',
  name: 'OpenRouter',
  loginCommand: null,
  // The spec asks for polls ≥60 s (providers-…-openrouter.md §4.4/§6): the key's limit and
  // credits may be up to 60 s stale anyway, and spend moves slowly; 5 min is plenty for a bar.
  defaultRefreshSeconds: 300,
  minRefreshSeconds: 60,
  // The key lives in the environment or comes from a command: no file to watch.
  credentialFiles: () => [],
  defaultAccounts: (env) => keyAccountsFromEnv('openrouter', OPENROUTER_KEY_ENV, env),
} satisfies ProviderDescriptor
