import { schemaProblem } from './accounts/discover.js'
import { discoveredLabel, shownWithoutConfig, type Verdict } from './accounts/shown.js'
import { defaultSettings } from './config/accounts.js'
import { loadConfigFile } from './config/load.js'
import { clockFrom, type Env, resolvePaths, withoutConfig } from './config/paths.js'
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
  if (missing && withoutConfig(env, configOverride)) {
    const settings = {
      ...defaultSettings(env, paths.home),
      accounts: shownWithoutConfig(env, paths, judgeDiscovered),
    }
    return { env, paths, settings, configFile: null, now: clockFrom(env) }
  }
  throw new CommandError(
    missing
      ? `config file ${paths.configFile} does not exist`
      : `${result.error.message}\n  fix: ${result.error.fix}`,
  )
}

/** The zod half of the config-less accounts (accounts/shown.ts): the schema's verdict on a new login. */
export function judgeDiscovered(account: AccountConfig): Verdict {
  const skip = schemaProblem(account)
  return skip === null ? { shown: parseAccount({ ...account, label: discoveredLabel(account) }) } : { skip }
}

/** What the render path calls (lazily, through the bin) for a config file it has not seen. */
export const validateConfig: ValidateConfig = (file, cacheDir) => loadConfigFile(file, cacheDir)
