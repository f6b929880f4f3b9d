import { basename, dirname } from 'node:path'
import type { Env } from '../config/paths.js'
import { expandPath } from '../config/paths.js'
import { claudeConfigDir } from '../providers/claude/descriptor.js'
import { codexHome } from '../providers/codex/descriptor.js'
import { ghConfigDir } from '../providers/copilot/descriptor.js'
import { cursorDataDir } from '../providers/cursor/credentials.js'
import { geminiDir } from '../providers/gemini/descriptor.js'
import type { Account } from '../model.js'

/**
 * Where an account's login lives and the variable that points the provider's own CLI at it, for
 * `CLAUDE_CONFIG_DIR=$(quotabar best claude --print config-dir) claude`.
 */
export type LoginPlace =
  | { ok: true; dir: string; envVar: string; envValue: string }
  | { ok: true; dir: string; envVar: null; why: string }
  | { ok: false; why: string }

export function loginPlace(account: Account, env: Env, home: string): LoginPlace {
  switch (account.provider) {
    case 'claude': {
      const dir = claudeConfigDir(account, env, home)
      return { ok: true, dir, envVar: 'CLAUDE_CONFIG_DIR', envValue: dir }
    }
    case 'codex': {
      const dir = codexHome(account, env, home)
      return { ok: true, dir, envVar: 'CODEX_HOME', envValue: dir }
    }
    case 'gemini': {
      // GEMINI_CLI_HOME names the directory that holds `.gemini`.
      const dir = geminiDir(account, env, home)
      return basename(dir) === '.gemini'
        ? { ok: true, dir, envVar: 'GEMINI_CLI_HOME', envValue: dirname(dir) }
        : { ok: true, dir, envVar: null, why: `Gemini CLI reads ${dir} only as <GEMINI_CLI_HOME>/.gemini` }
    }
    case 'copilot': {
      if (account.apiKeyEnv || account.apiKeyCommand) {
        return {
          ok: false,
          why: `${account.key} uses a token from ${account.apiKeyEnv ? `$${account.apiKeyEnv}` : 'apiKeyCommand'}, not a gh login`,
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
    }
    case 'cursor': {
      const dir = account.configDir ? expandPath(account.configDir, env) : cursorDataDir(account, env, home)
      return {
        ok: true,
        dir,
        envVar: null,
        why: `Cursor has no variable for it: run \`cursor --user-data-dir ${dir}\``,
      }
    }
    default:
      return {
        ok: false,
        why: `${account.key} has no login directory (its provider uses an API key or a command)`,
      }
  }
}

/** Bare when the shell would read it back unchanged, else single-quoted. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}
