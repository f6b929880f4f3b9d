import { defaultSettings, resolveAccounts, type Settings, selectAccounts } from './config/accounts.js'
import { loadConfigFile } from './config/load.js'
import { unmatchedWarning, type ValidateConfig } from './status.js'
import { writeSync } from 'node:fs'
import { clockFrom, type Env, type Paths, resolvePaths } from './config/paths.js'
import { discoverAccounts } from './accounts/discover.js'
import { writeDiscovered } from './accounts/discovered.js'
import { type Account, type AccountConfig, CommandError, UsageError } from './model.js'
import type { RefreshDeps } from './refresh.js'

/** Config for the non-render commands: always validated, always from the file when there is one. */

export interface CommandContext {
  env: Env
  paths: Paths
  settings: Settings
  configFile: string | null
  now: () => Date
}

export function loadContext(env: Env, configOverride?: string): CommandContext {
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
  const accounts = found.map((f) => ({ ...f.account, label: discoveredLabel(f.account) }))
  writeDiscovered(paths.cacheDir, accounts)
  return accounts
}

/** A provider's one default login is named after the provider (`claude`, `codex`), others by their id. */
const discoveredLabel = (a: AccountConfig) => (a.id === 'default' ? a.provider : a.id)

export function pickAccounts(ctx: CommandContext, selectors: string[]): Account[] {
  const { selected, unmatched } = selectAccounts(resolveAccounts(ctx.settings), selectors)
  if (unmatched.length > 0 && selected.length === 0)
    throw new UsageError(`no account matches ${unmatched.map((s) => `"${s}"`).join(', ')}`)
  // stderr, so a script reading stdout gets the same output as without the stray selector.
  if (unmatched.length > 0) writeSync(2, `quotabar: ${unmatchedWarning(unmatched)}\n`)
  if (selected.length === 0) {
    throw new CommandError(
      `no accounts: ${ctx.configFile ? `${ctx.configFile} lists none` : 'no config file and no logins found'}`,
    )
  }
  return selected
}

/** What the render path calls (lazily, through the bin) for a config file it has not seen. */
export const validateConfig: ValidateConfig = (file, cacheDir) => loadConfigFile(file, cacheDir)

/** What every in-process refresh needs, from one place (so settings such as `logs` reach all). */
export function refreshDeps(ctx: Pick<CommandContext, 'env' | 'paths' | 'settings' | 'now'>): RefreshDeps {
  return {
    env: ctx.env,
    home: ctx.paths.home,
    cacheDir: ctx.paths.cacheDir,
    now: ctx.now,
    timeoutMs: ctx.settings.timeoutSeconds * 1000,
    logs: ctx.settings.logs,
    stateDir: ctx.paths.stateDir,
  }
}

/** Time to wait for another process's fetch of the same account: its timeout and a margin. */
export const busyWaitMs = (ctx: Pick<CommandContext, 'settings'>) => ctx.settings.timeoutSeconds * 1000 + 2000
