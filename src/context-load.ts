import { discoverAccounts } from './accounts/discover.js'
import { writeDiscovered } from './accounts/discovered.js'
import { defaultSettings } from './config/accounts.js'
import { loadConfigFile } from './config/load.js'
import { clockFrom, type Env, type Paths, resolvePaths } from './config/paths.js'
import type { CommandContext } from './context.js'
import { type AccountConfig, CommandError } from './model.js'
import { parseAccount } from './providers/fields.js'
import type { ValidateConfig } from './status.js'

/**
 * The heavy half of loading a command's context (zod, the config schema, discovery): the config
 * file validated whatever the checked-config record says, or the logins found when there is none.
 * `loadContext` (context.ts) comes here only when the record does not vouch for the file.
 */
export function loadContextSync(env: Env, configOverride?: string): CommandContext {
  const paths = resolvePaths(env, configOverride)
  const result = loadConfigFile(paths.configFile, paths.cacheDir)
  if (result.ok)
    return { env, paths, settings: result.settings, configFile: paths.configFile, now: clockFrom(env) }
  const missing = result.error.message.includes('(ENOENT)')
  if (missing && !configOverride && !env.QUOTABAR_CONFIG) {
    const settings = { ...defaultSettings(env, paths.home), accounts: shownWithoutConfig(env, paths) }
    return { env, paths, settings, configFile: null, now: clockFrom(env) }
  }
  throw new CommandError(
    missing
      ? `config file ${paths.configFile} does not exist`
      : `${result.error.message}\n  fix: ${result.error.fix}`,
  )
}

/**
 * With no config file: exactly the logins `accounts discover` finds, each labelled by who it is
 * (`work` from ~/.claude-work, `claude` for the provider's default login, never three "default"s), and
 * remembered for the cached render (src/accounts/discovered.ts).
 */
export function shownWithoutConfig(env: Env, paths: Pick<Paths, 'home' | 'cacheDir'>): AccountConfig[] {
  const found = discoverAccounts([], env, paths.home).findings.filter((f) => f.state === 'new')
  const accounts = found.map((f) => parseAccount({ ...f.account, label: discoveredLabel(f.account) }))
  writeDiscovered(paths.cacheDir, accounts)
  return accounts
}

/** A provider's one default login is named after the provider (`claude`, `codex`), others by their id. */
const discoveredLabel = (a: AccountConfig) => (a.id === 'default' ? a.provider : a.id)

/** What the render path calls (lazily, through the bin) for a config file it has not seen. */
export const validateConfig: ValidateConfig = (file, cacheDir) => loadConfigFile(file, cacheDir)
