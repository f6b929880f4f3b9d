import { statSync, writeSync } from 'node:fs'
import { defaultSettings, resolveAccounts, type Settings, selectAccounts } from './config/accounts.js'
import { readCheckedConfig } from './config/checked.js'
import { clockFrom, type Env, type Paths, resolvePaths, withoutConfig } from './config/paths.js'
import { type Account, CommandError, UsageError } from './model.js'
import { unmatchedWarning } from './status.js'
import type { RefreshDeps } from './refresh.js'

/**
 * Config for the non-render commands. A file the checked-config record vouches for (the same
 * stamp: src/config/checked.ts) was validated when it was written and is read as recorded, as
 * the bin does, so a command on an unchanged config never builds the zod schema; any other file
 * (or none) goes through the validating loader in context-load.ts, loaded only then; with no file,
 * the logins found come from memory when each was seen before (accounts/shown.ts), without zod.
 */

export interface CommandContext {
  env: Env
  paths: Paths
  settings: Settings
  configFile: string | null
  now: () => Date
}

export async function loadContext(env: Env, configOverride?: string): Promise<CommandContext> {
  const paths = resolvePaths(env, configOverride)
  const checked = readCheckedConfig(paths.configFile, paths.cacheDir)
  if (checked.kind === 'checked')
    return { env, paths, settings: checked.settings, configFile: paths.configFile, now: clockFrom(env) }
  if (checked.kind === 'missing' && withoutConfig(env, configOverride) && noEntry(paths.configFile)) {
    // The logins found, from memory when each was seen before: no zod (accounts/shown.ts).
    const { rememberedShown } = await import('./accounts/shown.js')
    const accounts = rememberedShown(env, paths)
    if (accounts) {
      const settings = { ...defaultSettings(env, paths.home), accounts }
      return { env, paths, settings, configFile: null, now: clockFrom(env) }
    }
  }
  const { loadContextSync } = await import('./context-load.js')
  return loadContextSync(env, configOverride)
}

function noEntry(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false }) === undefined
  } catch {
    return false
  }
}

export function pickAccounts(ctx: CommandContext, selectors: string[]): Account[] {
  const all = resolveAccounts(ctx.settings)
  // No account at all is the newcomer's case, whatever was selected: say how to get one.
  if (all.length === 0) {
    throw new CommandError(
      `no accounts: ${ctx.configFile ? `${ctx.configFile} lists none` : 'no config file and no logins found'}\n` +
        "  fix: log in with a provider's own tool (e.g. `claude`), or `quotabar accounts add`; `quotabar --demo` shows a sample",
    )
  }
  const { selected, unmatched } = selectAccounts(all, selectors)
  if (unmatched.length > 0 && selected.length === 0)
    throw new UsageError(`no account matches ${unmatched.map((s) => `"${s}"`).join(', ')}`)
  // stderr, so a script reading stdout gets the same output as without the stray selector.
  if (unmatched.length > 0) writeSync(2, `quotabar: ${unmatchedWarning(unmatched)}\n`)
  return selected
}

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
