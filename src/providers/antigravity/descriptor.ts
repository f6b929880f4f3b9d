import { join } from 'node:path'
import { type Env, expandPath } from '../../config/paths.js'
import type { AccountConfig, ProviderDescriptor } from '../types.js'

/**
 * The Antigravity CLI keeps its Google login in `<configDir>/antigravity-cli/antigravity-oauth-token`,
 * `configDir` defaulting to `~/.gemini` (it shares the Gemini CLI's home). One file = one account.
 */
export function antigravityDir(account: Pick<AccountConfig, 'configDir'>, env: Env, home: string): string {
  return account.configDir ? expandPath(account.configDir, env) : join(home, '.gemini')
}

export function antigravityTokenFile(
  account: Pick<AccountConfig, 'configDir'>,
  env: Env,
  home: string,
): string {
  return antigravityTokenIn(antigravityDir(account, env, home))
}

export const antigravityTokenIn = (dir: string) => join(dir, 'antigravity-cli', 'antigravity-oauth-token')

export const antigravityDescriptor = {
  id: 'antigravity',
  name: 'Antigravity',
  icons: { nerd: '\uf0c2', emoji: '🪐' }, // nf-fa-cloud
  loginCommand: 'agy',
  // Same Google host family as Gemini Code Assist, whose rate limits are undocumented: the same
  // 5-minute floor. Weekly and 5-hour buckets move slowly enough for a 10-minute default.
  defaultRefreshSeconds: 600,
  minRefreshSeconds: 300,
  credentialFiles: (account, env, home) => [antigravityTokenFile(account, env, home)],
  defaultAccounts(env, home, exists) {
    const file = antigravityTokenFile({}, env, home)
    return exists(file) ? [{ provider: 'antigravity', id: 'default', configDir: join(home, '.gemini') }] : []
  },
  // The spec knows one home (`~/.gemini`); others are accounts with their own configDir.
  loginDirs: {
    dirOf: antigravityDir,
    find: (env, home, fs) =>
      fs.isFile(antigravityTokenFile({}, env, home))
        ? [{ dir: antigravityDir({}, env, home), id: 'default' }]
        : [],
  },
} satisfies ProviderDescriptor
