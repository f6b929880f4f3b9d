import type { Env } from '../config/paths.js'
import type { AccountConfig } from '../model.js'

/**
 * Accounts from key variables, one rule for every provider and every path (the bar with no config
 * file, `accounts discover`, a configured account without `apiKeyEnv`): `<NAME>` is the plain
 * account (`default`, or the id its descriptor gives), `<NAME>_<SUFFIX>` the account named by the
 * suffix: `OPENROUTER_API_KEY_MY_TEAM` → `my-team`. Only names are kept (`apiKeyEnv`), never the
 * key. Light: no I/O, safe on the render path.
 */

/** A variable that holds a provider's key. */
export interface KeyVariable {
  name: string
  /** The id of the plain variable's account (default `default`). */
  id?: string
}

const SUFFIX = /^[A-Za-z0-9][A-Za-z0-9_]*$/
const ID = /^[a-z0-9][a-z0-9._-]{0,39}$/

/** `WORK` → `work`, `MY_TEAM` → `my-team`; null when no valid account id comes out. */
export function idFromSuffix(suffix: string): string | null {
  if (!SUFFIX.test(suffix)) return null
  const id = suffix.toLowerCase().replace(/_+/g, '-').replace(/-+$/, '')
  return ID.test(id) ? id : null
}

/** The inverse, for a configured account: `my-team` → `MY_TEAM`. */
const suffixOf = (id: string) => id.toUpperCase().replace(/[^A-Z0-9_]/g, '_')

export interface KeyAccount {
  variable: string
  id: string
}

/**
 * Set, non-empty variables of one name in `env`: the plain one first, then its suffixed variants
 * by name. `<NAME>_DEFAULT` is the plain account only when `<NAME>` is unset; an id taken by an
 * earlier variable is not repeated. `invalid`: set variables whose suffix makes no account id.
 */
export function keyAccounts(known: KeyVariable, env: Env): { found: KeyAccount[]; invalid: string[] } {
  const found: KeyAccount[] = []
  const invalid: string[] = []
  const plainId = known.id ?? 'default'
  if (env[known.name]?.trim()) found.push({ variable: known.name, id: plainId })
  const prefix = `${known.name}_`
  const names = Object.keys(env)
    .filter((n) => n.startsWith(prefix) && env[n]?.trim())
    .sort()
  for (const variable of names) {
    const suffixed = idFromSuffix(variable.slice(prefix.length))
    const id = suffixed === 'default' ? plainId : suffixed
    if (id === null) invalid.push(variable)
    else if (!found.some((f) => f.id === id)) found.push({ variable, id })
  }
  return { found, invalid }
}

/** The accounts a key provider shows with no config file: one per set variable. */
export function accountsFromEnv(provider: string, variables: KeyVariable[], env: Env): AccountConfig[] {
  const accounts: AccountConfig[] = []
  for (const v of variables) {
    for (const { variable, id } of keyAccounts(v, env).found) {
      if (!accounts.some((a) => a.id === id)) accounts.push({ provider, id, apiKeyEnv: variable })
    }
  }
  return accounts
}

/**
 * The variable a configured account without `apiKeyEnv` falls back to: `<NAME>_<ID>` when it is
 * set (so `{ "id": "my-team" }` finds `OPENROUTER_API_KEY_MY_TEAM`), else `<NAME>`.
 */
export function fallbackKeyEnv(account: Pick<AccountConfig, 'id'>, name: string, env: Env): string {
  const suffixed = `${name}_${suffixOf(account.id)}`
  return account.id !== 'default' && env[suffixed] ? suffixed : name
}

/**
 * The descriptor fields of a provider whose accounts are its key variable: `<NAME>` and every
 * `<NAME>_<SUFFIX>` with no config file, the same variables for discovery and as the fallback.
 */
export function keyVariableAccounts(provider: string, name: string) {
  const keyVariables: KeyVariable[] = [{ name }]
  return {
    keyVariables,
    keyFallback: name,
    defaultAccounts: (env: Env) => accountsFromEnv(provider, keyVariables, env),
  }
}
