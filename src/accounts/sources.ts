import { readdirSync, realpathSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { type Env, expandPath } from '../config/paths.js'
import { claudeConfigDir, idFromConfigDir } from '../providers/claude/descriptor.js'
import { codexHome, idFromCodexHome } from '../providers/codex/descriptor.js'
import { cursorDataDirs } from '../providers/cursor/descriptor.js'
import { geminiDir, idFromGeminiHome } from '../providers/gemini/descriptor.js'
import type { AccountConfig } from '../model.js'
import { claudeIdentity, codexIdentity, geminiIdentity, type LoginIdentity } from './identity.js'

/**
 * Logins that live in a provider's own config dir (Claude, Codex, Gemini, Cursor): where to look
 * on this machine, which dir an account uses, and who is logged in there. Stat and read only.
 */

export interface Found {
  dir: string
  /** The id the account gets unless it is taken. */
  id: string
}

export interface DirKind {
  provider: string
  /** The dir an account uses: its configDir, else the provider's default. */
  dirOf(account: AccountConfig, env: Env, home: string): string
  /** Candidate dirs on this machine, most standard first. */
  find(env: Env, home: string): Found[]
  identity(dir: string, home: string): LoginIdentity | null
}

export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

const isFile = (path: string) => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** `~/.claude-work` instead of `/home/me/.claude-work`: shorter, and portable in a dotfiles repo. */
export function tildify(path: string, home: string): string {
  return home && home !== '/' && (path === home || path.startsWith(`${home}/`))
    ? `~${path.slice(home.length)}`
    : path
}

/** The same dir reached through a symlink or a trailing slash is one location. */
export function realDir(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path.replace(/(.)\/+$/, '$1')
  }
}

/** `~/.claude-*` style siblings holding one of `markers`, sorted by name. */
function siblings(home: string, prefix: string, markers: string[]): string[] {
  let names: string[]
  try {
    names = readdirSync(home)
  } catch {
    return []
  }
  return names
    .filter((n) => n.startsWith(prefix) && n.length > prefix.length)
    .sort()
    .map((n) => join(home, n))
    .filter((d) => isDir(d) && markers.some((m) => isFile(join(d, m))))
}

/** The standard dir, the env variable's, then siblings; ids come from the dir names. */
function standardEnvSiblings(
  standard: string,
  fromEnv: string | undefined,
  others: string[],
  idOf: (dir: string) => string,
): Found[] {
  const out: Found[] = []
  if (isDir(standard)) out.push({ dir: standard, id: 'default' })
  if (fromEnv && isDir(fromEnv)) {
    const id = idOf(fromEnv)
    out.push({ dir: fromEnv, id: id === 'default' ? 'env' : id })
  }
  for (const dir of others) out.push({ dir, id: idOf(dir) })
  return out
}

export const DIR_KINDS: DirKind[] = [
  {
    provider: 'claude',
    dirOf: (a, env, home) => claudeConfigDir(a, env, home),
    find: (env, home) =>
      standardEnvSiblings(
        join(home, '.claude'),
        env.CLAUDE_CONFIG_DIR,
        siblings(home, '.claude-', ['.credentials.json', '.claude.json']),
        idFromConfigDir,
      ),
    identity: claudeIdentity,
  },
  {
    provider: 'codex',
    dirOf: (a, env, home) => codexHome(a, env, home),
    find: (env, home) =>
      standardEnvSiblings(
        join(home, '.codex'),
        env.CODEX_HOME,
        siblings(home, '.codex-', ['auth.json', 'config.toml']),
        idFromCodexHome,
      ),
    identity: (dir) => codexIdentity(dir),
  },
  {
    provider: 'gemini',
    dirOf: (a, env, home) => geminiDir(a, env, home),
    find: (env, home) => {
      const cliHome = env.GEMINI_CLI_HOME ? expandPath(env.GEMINI_CLI_HOME, env) : undefined
      const found = standardEnvSiblings(join(home, '.gemini'), undefined, [], idFromGeminiHome)
      const fromEnv = cliHome ? join(cliHome, '.gemini') : null
      if (cliHome && fromEnv && isDir(fromEnv)) {
        const id = idFromGeminiHome(cliHome)
        found.push({ dir: fromEnv, id: id === 'default' ? 'env' : id })
      }
      return found
    },
    identity: (dir) => geminiIdentity(dir),
  },
  {
    provider: 'cursor',
    dirOf: (a, env, home) => {
      if (a.configDir) return expandPath(a.configDir, env)
      const dirs = cursorDataDirs(env, home)
      return dirs.find((d) => isDir(join(d, 'User', 'globalStorage'))) ?? (dirs[0] as string)
    },
    find: (env, home) =>
      cursorDataDirs(env, home)
        .filter((d) => isDir(join(d, 'User', 'globalStorage')))
        .map((dir) => ({ dir, id: 'default' })),
    // Cursor keeps one session per data dir and no account id outside its database.
    identity: () => null,
  },
]
