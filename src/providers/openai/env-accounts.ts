import type { Env } from '../../config/paths.js'
import type { AccountConfig } from '../types.js'

/**
 * Accounts from well-known key variables (design §3): `OPENAI_ADMIN_KEY` is account `default`,
 * `OPENAI_ADMIN_KEY_WORK` is account `work`. Only the variable's name goes into the account
 * (`apiKeyEnv`): the key itself is read by the adapter at fetch time. Light: no I/O.
 */
export function accountsFromEnv(provider: string, variable: string, env: Env): AccountConfig[] {
  const accounts: AccountConfig[] = []
  const prefix = `${variable}_`
  for (const name of Object.keys(env).sort()) {
    if (!env[name]) continue
    let id: string | null = null
    if (name === variable) id = 'default'
    else if (name.startsWith(prefix)) id = idFromSuffix(name.slice(prefix.length))
    if (id) accounts.push({ provider, id, apiKeyEnv: name })
  }
  return accounts
}

/** `WORK` → `work`; a suffix that cannot be an account id (config schema rule) is skipped. */
function idFromSuffix(suffix: string): string | null {
  const id = suffix.toLowerCase()
  return /^[a-z0-9][a-z0-9._-]{0,39}$/.test(id) && id !== 'default' ? id : null
}
