import { join } from 'node:path'
import { type Env, expandPath } from '../../config/paths.js'
import { keyVariableAccounts } from '../env-keys.js'
import type { AccountConfig, ProviderDescriptor } from '../types.js'

export const FACTORY_KEY_ENV = 'FACTORY_API_KEY'

/** The Droid CLI's home: `configDir`, default `~/.factory`. */
export function factoryDir(account: Pick<AccountConfig, 'configDir'>, env: Env, home: string): string {
  return account.configDir ? expandPath(account.configDir, env) : join(home, '.factory')
}

/** The Droid CLI's `.env` (`FACTORY_API_KEY=…`) in its home. */
export function factoryEnvFile(account: Pick<AccountConfig, 'configDir'>, env: Env, home: string): string {
  return join(factoryDir(account, env, home), '.env')
}

const keyed = keyVariableAccounts('factory', FACTORY_KEY_ENV)

export const factoryDescriptor = {
  id: 'factory',
  name: 'Factory',
  icons: { nerd: '\uf275', emoji: '🏭' }, // nf-fa-industry
  loginCommand: 'droid',
  // Five-hour, weekly and monthly windows: 5 min is current enough; no documented rate limit,
  // so the plan endpoints' 120 s floor.
  defaultRefreshSeconds: 300,
  minRefreshSeconds: 120,
  keyVariables: keyed.keyVariables,
  keyFallback: keyed.keyFallback,
  credentialFiles: (account, env, home) =>
    account.apiKeyEnv || account.apiKeyCommand ? [] : [factoryEnvFile(account, env, home)],
  defaultAccounts(env, home, exists) {
    const accounts = keyed.defaultAccounts(env)
    const file = factoryEnvFile({}, env, home)
    // Droid's own key file is `factory/droid`, beside `factory/default` for FACTORY_API_KEY.
    if (exists(file)) accounts.push({ provider: 'factory', id: 'droid', configDir: join(home, '.factory') })
    return accounts
  },
  // The spec knows one home (`~/.factory`); others are accounts with their own configDir.
  loginDirs: {
    dirOf: factoryDir,
    find: (env, home, fs) =>
      fs.isFile(factoryEnvFile({}, env, home)) ? [{ dir: factoryDir({}, env, home), id: 'droid' }] : [],
  },
} satisfies ProviderDescriptor
