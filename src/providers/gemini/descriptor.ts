import { basename, dirname, join } from 'node:path'
import { type Env, expandPath } from '../../config/paths.js'
import type { AccountConfig, ProviderDescriptor } from '../types.js'

/**
 * Gemini CLI keeps one Google login per home: `$GEMINI_CLI_HOME/.gemini`, default `~/.gemini`
 * (gemini-cli `Storage.getGlobalGeminiDir()`). `configDir` names that `.gemini` directory.
 */
export function geminiDir(account: Pick<AccountConfig, 'configDir'>, env: Env, home: string): string {
  if (account.configDir) return expandPath(account.configDir, env)
  return env.GEMINI_CLI_HOME ? join(expandPath(env.GEMINI_CLI_HOME, env), '.gemini') : join(home, '.gemini')
}

/** `GEMINI_CLI_HOME=~/gemini-work` → `work`; anything else becomes a safe id. */
export function idFromGeminiHome(dir: string): string {
  const id = basename(dir)
    .replace(/^\.?gemini[-_.]?/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
  return id || 'default'
}

export const geminiDescriptor = {
  id: 'gemini',
  name: 'Gemini',
  icons: { nerd: '\uf1a0', emoji: '♊' }, // nf-fa-google
  loginCommand: 'gemini',
  // Code Assist quotas are daily buckets and cloudcode-pa's own rate limits are undocumented
  // (providers spec §2.5: poll every ≥ 5 min). A refresh costs two or three requests (token,
  // loadCodeAssist, retrieveUserQuota), so the default is gentler than the floor.
  defaultRefreshSeconds: 600,
  minRefreshSeconds: 300,
  credentialFiles(account, env, home) {
    return [join(geminiDir(account, env, home), 'oauth_creds.json')]
  },
  defaultAccounts(env, home, exists) {
    const accounts: AccountConfig[] = []
    const standard = join(home, '.gemini')
    if (exists(standard)) accounts.push({ provider: 'gemini', id: 'default', configDir: standard })
    const fromEnv = env.GEMINI_CLI_HOME ? join(expandPath(env.GEMINI_CLI_HOME, env), '.gemini') : null
    if (fromEnv && fromEnv !== standard && exists(fromEnv)) {
      const id = idFromGeminiHome(expandPath(env.GEMINI_CLI_HOME ?? '', env))
      accounts.push({ provider: 'gemini', id: id === 'default' ? 'env' : id, configDir: fromEnv })
    }
    return accounts
  },
  loginDirs: {
    dirOf: geminiDir,
    find(env, home, fs) {
      const found = fs.isDir(join(home, '.gemini')) ? [{ dir: join(home, '.gemini'), id: 'default' }] : []
      const cliHome = env.GEMINI_CLI_HOME ? expandPath(env.GEMINI_CLI_HOME, env) : undefined
      if (cliHome && fs.isDir(join(cliHome, '.gemini'))) {
        const id = idFromGeminiHome(cliHome)
        found.push({ dir: join(cliHome, '.gemini'), id: id === 'default' ? 'env' : id })
      }
      return found
    },
  },
  // GEMINI_CLI_HOME names the directory that holds `.gemini`.
  loginPlace(account, env, home) {
    const dir = geminiDir(account, env, home)
    return basename(dir) === '.gemini'
      ? { ok: true, dir, envVar: 'GEMINI_CLI_HOME', envValue: dirname(dir) }
      : { ok: true, dir, envVar: null, why: `Gemini CLI reads ${dir} only as <GEMINI_CLI_HOME>/.gemini` }
  },
} satisfies ProviderDescriptor
