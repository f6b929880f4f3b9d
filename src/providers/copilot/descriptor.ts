import { join } from 'node:path'
import { type Env, expandPath } from '../../config/paths.js'
import { samePath } from '../same-path.js'
import type { AccountConfig, ProviderDescriptor } from '../types.js'

/**
 * The GitHub CLI's config dir, resolved the way gh itself does: `GH_CONFIG_DIR`, else
 * `$XDG_CONFIG_HOME/gh`, else `~/.config/gh`. An account's `configDir` names another gh config
 * dir (passed to gh as `GH_CONFIG_DIR`).
 */
export function ghConfigDir(account: Pick<AccountConfig, 'configDir'>, env: Env, home: string): string {
  if (account.configDir) return expandPath(account.configDir, env)
  if (env.GH_CONFIG_DIR) return env.GH_CONFIG_DIR
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'gh')
  return join(home, '.config', 'gh')
}

export const copilotDescriptor = {
  id: 'copilot',
  name: 'Copilot',
  loginCommand: 'gh auth login',
  // `/copilot_internal/user` answers with `Cache-Control: max-age=60` and counts against the REST
  // `core` rate limit, so polling faster than a minute only burns rate limit on cached numbers;
  // monthly quotas move slowly, and every refresh also spawns `gh auth token`.
  defaultRefreshSeconds: 300,
  minRefreshSeconds: 60,
  credentialFiles(account, env, home) {
    // A token from apiKeyEnv / apiKeyCommand does not depend on gh's login.
    if (account.apiKeyEnv || account.apiKeyCommand) return []
    return [join(ghConfigDir(account, env, home), 'hosts.yml')]
  },
  defaultAccounts(env, home, exists) {
    // gh's hosts.yml exists once someone ran `gh auth login` (no gh call, no network here).
    return exists(join(ghConfigDir({}, env, home), 'hosts.yml'))
      ? [{ provider: 'copilot', id: 'default' }]
      : []
  },
  // gh's default config dir and whichever user is active there. With `githubUser` the answer
  // needs hosts.yml (src/accounts/active.ts), which the render path does not read: false here.
  isActive(account, env, home) {
    if (account.apiKeyEnv || account.apiKeyCommand || account.githubUser) return false
    return samePath(ghConfigDir(account, env, home), ghConfigDir({}, env, home))
  },
} satisfies ProviderDescriptor
