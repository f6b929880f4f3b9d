import { basename, join } from 'node:path'
import { type Env, expandPath } from '../../config/paths.js'
import { keyVariableAccounts } from '../env-keys.js'
import type { AccountConfig, LookFs, ProviderDescriptor } from '../types.js'

export const KIMI_KEY_ENV = 'KIMI_API_KEY'

/**
 * The Kimi Code CLI keeps its OAuth login in `<dir>/credentials/kimi-code.json`; builds have used
 * `~/.kimi` and `~/.kimi-code` for `<dir>`, so both are looked at, `~/.kimi` first.
 */
export function kimiLoginDirs(account: Pick<AccountConfig, 'configDir'>, env: Env, home: string): string[] {
  if (account.configDir) return [expandPath(account.configDir, env)]
  return [join(home, '.kimi'), join(home, '.kimi-code')]
}

export const kimiLoginFile = (dir: string) => join(dir, 'credentials', 'kimi-code.json')

/** The dir an account's login is read from: its configDir, else the first of the two with one. */
function kimiDirOf(account: Pick<AccountConfig, 'configDir'>, env: Env, home: string, fs: LookFs): string {
  const dirs = kimiLoginDirs(account, env, home)
  return dirs.find((d) => fs.isFile(kimiLoginFile(d))) ?? (dirs[0] as string)
}

const keyed = keyVariableAccounts('kimi', KIMI_KEY_ENV)

export const kimiDescriptor = {
  id: 'kimi',
  name: 'Kimi Code',
  icons: { nerd: '\uf135', emoji: '🚀' }, // nf-fa-rocket
  loginCommand: 'kimi',
  // A weekly quota and a 5-hour window: 5 min is current enough; no documented rate limit, so
  // the same 120 s floor as the other plan endpoints.
  defaultRefreshSeconds: 300,
  minRefreshSeconds: 120,
  keyVariables: keyed.keyVariables,
  keyFallback: keyed.keyFallback,
  credentialFiles: (account, env, home) =>
    account.apiKeyEnv || account.apiKeyCommand ? [] : kimiLoginDirs(account, env, home).map(kimiLoginFile),
  defaultAccounts(env, home, exists) {
    const accounts = keyed.defaultAccounts(env)
    const dir = kimiLoginDirs({}, env, home).find((d) => exists(kimiLoginFile(d)))
    // The CLI's login is `kimi/cli`, beside `kimi/default` for KIMI_API_KEY.
    if (dir) accounts.push({ provider: 'kimi', id: 'cli', configDir: dir })
    return accounts
  },
  // Both dirs may hold a login (two builds, two people): the first is `cli`, as above.
  loginDirs: {
    dirOf: kimiDirOf,
    find: (env, home, fs) =>
      kimiLoginDirs({}, env, home)
        .filter((d) => fs.isFile(kimiLoginFile(d)))
        .map((dir, i) => ({ dir, id: i === 0 ? 'cli' : basename(dir).replace(/^\./, '') })),
  },
} satisfies ProviderDescriptor
