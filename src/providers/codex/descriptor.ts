import { basename, join } from 'node:path'
import { type Env, expandPath, joinPath } from '../../config/paths.js'
import { toolHomeLogins } from '../login-dirs.js'
import type { AccountConfig, ProviderDescriptor } from '../types.js'

/** Codex keeps one login per home: `CODEX_HOME`, default `~/.codex` (an explicit one never falls back). */
export function codexHome(account: Pick<AccountConfig, 'configDir'>, env: Env, home: string): string {
  if (account.configDir) return expandPath(account.configDir, env)
  return env.CODEX_HOME || joinPath(home, '.codex')
}

/** `.codex-work` → `work`; anything else becomes a safe id. */
export function idFromCodexHome(dir: string): string {
  const base = basename(dir).replace(/^\.?codex[-_.]?/, '')
  const id = base
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
  return id || 'default'
}

export const codexDescriptor = {
  id: 'codex',
  name: 'Codex',
  icons: { nerd: '\uf120', emoji: '🧠' }, // nf-fa-terminal
  loginCommand: 'codex',
  // wham/usage has no documented rate limit, but it sits behind Cloudflare, which challenges
  // clients that poll hard; community tools poll every 60–300 s. The windows (5 h, 7 d) move
  // slowly, and between fetches the session logs give fresh numbers without any request.
  defaultRefreshSeconds: 300,
  minRefreshSeconds: 120,
  credentialFiles(account, env, home) {
    return [joinPath(codexHome(account, env, home), 'auth.json')]
  },
  defaultAccounts(env, home, exists) {
    const accounts: AccountConfig[] = []
    const standard = join(home, '.codex')
    if (exists(standard)) accounts.push({ provider: 'codex', id: 'default', configDir: standard })
    const fromEnv = env.CODEX_HOME?.replace(/(.)\/+$/, '$1')
    if (fromEnv && fromEnv !== standard && exists(fromEnv)) {
      const id = idFromCodexHome(fromEnv)
      accounts.push({ provider: 'codex', id: id === 'default' ? 'env' : id, configDir: fromEnv })
    }
    return accounts
  },
  // A new `codex` uses CODEX_HOME, else ~/.codex.
  ...toolHomeLogins({
    dirName: '.codex',
    envVar: 'CODEX_HOME',
    markers: ['auth.json', 'config.toml'],
    dirOf: codexHome,
    idOf: idFromCodexHome,
  }),
  localLogs: {
    kind: 'codex',
    root: codexHome,
    dirs: (root, _home, fs) =>
      ['sessions', 'archived_sessions'].map((d) => join(root, d)).filter((d) => fs.exists(d)),
  },
} satisfies ProviderDescriptor
