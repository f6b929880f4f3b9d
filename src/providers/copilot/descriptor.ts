import { join } from 'node:path'
import { type Env, expandPath } from '../../config/paths.js'
import { samePath } from '../same-path.js'
import type { AccountConfig, LookFs, ProviderDescriptor } from '../types.js'
import { activeGhUser, type GhHost, parseGhHosts } from './hosts-yml.js'

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

const GITHUB = 'github.com'
const HOSTS_MAX_BYTES = 256 * 1024

/** The hosts and users of gh's default config dir (never its tokens; see hosts-yml.ts). */
function readGhHosts(env: Env, home: string, fs: LookFs): GhHost[] {
  const text = fs.readText(join(ghConfigDir({}, env, home), 'hosts.yml'), HOSTS_MAX_BYTES)
  return text === null ? [] : parseGhHosts(text)
}

const usesKey = (a: AccountConfig) => Boolean(a.apiKeyEnv || a.apiKeyCommand)
const hostOf = (a: AccountConfig) => (typeof a.hostname === 'string' ? a.hostname : GITHUB)
const placeOf = (host: string, user: string) => `${host.toLowerCase()}:${user.toLowerCase()}`

export const copilotDescriptor = {
  id: 'copilot',
  name: 'Copilot',
  icons: { nerd: '\uf09b', emoji: '🐙' }, // nf-fa-github
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
  isActive(account, env, home, fs) {
    if (usesKey(account)) return false
    if (!samePath(ghConfigDir(account, env, home), ghConfigDir({}, env, home))) return false
    if (typeof account.githubUser !== 'string') return true
    const text = fs?.readText(join(ghConfigDir({}, env, home), 'hosts.yml'), HOSTS_MAX_BYTES) ?? null
    const user = text === null ? null : activeGhUser(text, hostOf(account))
    return user !== null && user.toLowerCase() === account.githubUser.toLowerCase()
  },
  // Copilot CLI's documented order. "token", not "default": gh's own login is usually copilot/default.
  keyVariables: [
    { name: 'COPILOT_GITHUB_TOKEN', id: 'token' },
    { name: 'GH_TOKEN', id: 'token' },
    { name: 'GITHUB_TOKEN', id: 'token' },
  ],
  findLogins: (env, home, fs) =>
    readGhHosts(env, home, fs).flatMap((h) =>
      h.users.map((user) => {
        const other = h.host === GITHUB ? '' : `-${h.host.split(/[.:]/)[0]}`
        const account: AccountConfig = { provider: 'copilot', id: `${user}${other}`, githubUser: user }
        if (h.host !== GITHUB) account.hostname = h.host
        return { account, source: `gh user ${user} (${h.host})`, place: placeOf(h.host, user) }
      }),
    ),
  placesOf(account, env, home, fs) {
    if (usesKey(account)) return []
    const host = hostOf(account)
    const user =
      typeof account.githubUser === 'string'
        ? account.githubUser
        : readGhHosts(env, home, fs).find((h) => h.host === host)?.active
    return user ? [placeOf(host, user)] : []
  },
  loginSource(account) {
    const user = typeof account.githubUser === 'string' ? `user ${account.githubUser}` : 'active user'
    return { kind: 'gh', detail: `${user} (${hostOf(account)})`, present: true }
  },
  loginPlace(account, env, home) {
    if (usesKey(account)) {
      return {
        ok: false,
        why: `${account.provider}/${account.id} uses a token from ${account.apiKeyEnv ? `$${account.apiKeyEnv}` : 'apiKeyCommand'}, not a gh login`,
      }
    }
    const dir = ghConfigDir(account, env, home)
    // Several gh users share one config dir: no variable picks the user, `gh auth switch` does.
    if (!account.configDir && typeof account.githubUser === 'string') {
      return {
        ok: true,
        dir,
        envVar: null,
        why: `gh picks the user, not a variable: run \`gh auth switch --user ${account.githubUser}\``,
      }
    }
    return { ok: true, dir, envVar: 'GH_CONFIG_DIR', envValue: dir }
  },
} satisfies ProviderDescriptor
