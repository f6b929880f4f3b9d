import { basename, join } from 'node:path'
import { type Env, expandPath, joinPath } from '../../config/paths.js'
import { toolHomeLogins } from '../login-dirs.js'
import type { AccountConfig, ProviderDescriptor } from '../types.js'

/** Claude Code keeps one login per config dir: `CLAUDE_CONFIG_DIR`, default `~/.claude`. */
export function claudeConfigDir(account: Pick<AccountConfig, 'configDir'>, env: Env, home: string): string {
  if (account.configDir) return expandPath(account.configDir, env)
  return env.CLAUDE_CONFIG_DIR || joinPath(home, '.claude')
}

/** `~/.claude` keeps its identity in `~/.claude.json`; any other config dir keeps it inside. */
export function claudeIdentityFiles(configDir: string, home: string): string[] {
  const inside = [join(configDir, '.claude.json'), join(configDir, '.config.json')]
  return configDir === join(home, '.claude') ? [join(home, '.claude.json'), ...inside] : inside
}

/** `.claude-work` → `work`; anything else becomes a safe id. */
export function idFromConfigDir(dir: string): string {
  const base = basename(dir).replace(/^\.?claude[-_.]?/, '')
  const id = base
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
  return id || 'default'
}

/** Claude Code writes a project's transcripts under each of these (the default install has two). */
export function claudeRoots(configDir: string, home: string): string[] {
  const roots = [join(configDir, 'projects')]
  if (configDir === join(home, '.claude')) roots.push(join(home, '.config', 'claude', 'projects'))
  return roots
}

export const claudeDescriptor = {
  id: 'claude',
  name: 'Claude',
  icons: { nerd: '\u{f167a}', emoji: '✳️' }, // nf-md-robot_outline
  loginCommand: 'claude',
  // The usage endpoint throttles hard (Retry-After up to ~1600 s) when polled every minute.
  defaultRefreshSeconds: 300,
  minRefreshSeconds: 180,
  credentialFiles(account, env, home) {
    return [joinPath(claudeConfigDir(account, env, home), '.credentials.json')]
  },
  defaultAccounts(env, home, exists) {
    const accounts: AccountConfig[] = []
    const standard = join(home, '.claude')
    if (exists(standard)) accounts.push({ provider: 'claude', id: 'default', configDir: standard })
    const fromEnv = env.CLAUDE_CONFIG_DIR
    if (fromEnv && fromEnv !== standard && exists(fromEnv)) {
      const id = idFromConfigDir(fromEnv)
      accounts.push({ provider: 'claude', id: id === 'default' ? 'env' : id, configDir: fromEnv })
    }
    return accounts
  },
  // A new `claude` uses CLAUDE_CONFIG_DIR, else ~/.claude.
  ...toolHomeLogins({
    dirName: '.claude',
    envVar: 'CLAUDE_CONFIG_DIR',
    markers: ['.credentials.json', '.claude.json'],
    dirOf: claudeConfigDir,
    idOf: idFromConfigDir,
  }),
  localLogs: {
    kind: 'claude',
    root: claudeConfigDir,
    dirs: (root, home, fs) => claudeRoots(root, home).filter((d) => fs.exists(d)),
  },
} satisfies ProviderDescriptor
