import { fileStamp } from '../config/checked.js'
import { isDue } from '../cache/freshness.js'
import { credentialStamp } from '../cache/stamp.js'
import { entryPath, readEntry } from '../cache/store.js'
import type { CommandContext } from '../context.js'
import { defaultSettings, resolveAccounts, type Settings, selectAccounts } from '../config/accounts.js'
import { debug } from '../debug.js'
import type { Account } from '../model.js'
import { choicePath } from './choice.js'
import type { LiveData } from './loop.js'

/**
 * What `watch` knows about the accounts, kept current by stat-ing the files it depends on: the
 * config (a change reloads it), each account's cache file (any quotabar process may write it)
 * and the click choice. A stat is a few microseconds; reading a file only happens when it changed.
 */
export interface WatchData extends LiveData {
  settings: Settings
}

export function watchData(
  ctx: Pick<CommandContext, 'env' | 'paths'>,
  load: () => Settings,
  selectors: string[],
): WatchData {
  const { env, paths } = ctx
  let configStamp: string | null | undefined
  let entryStamps: (string | null)[] = []
  let choiceStamp: string | null | undefined
  const data: WatchData = {
    // Until a config loads, nothing is fetched (a broken config must not fall back to discovery).
    settings: { ...defaultSettings(env, paths.home), accounts: [] },
    accounts: [],
    entries: [],
    poll() {
      let changed = false
      const stamp = fileStamp(paths.configFile)
      if (stamp !== configStamp) {
        configStamp = stamp
        data.settings = loadSafely(load, data.settings)
        data.accounts = selectAccounts(resolveAccounts(data.settings), selectors).selected
        data.entries = data.accounts.map(() => null)
        entryStamps = data.accounts.map(() => 'unread')
        changed = true
      }
      data.accounts.forEach((a, i) => {
        const s = fileStamp(entryPath(paths.cacheDir, a.key))
        if (s === entryStamps[i]) return
        entryStamps[i] = s
        data.entries[i] = readEntry(paths.cacheDir, a.key)
        changed = true
      })
      const choice = fileStamp(choicePath(paths.stateDir))
      if (choice !== choiceStamp) {
        choiceStamp = choice
        changed = true
      }
      return changed
    },
    due(now: Date): Account[] {
      return data.accounts.filter((a, i) =>
        isDue(data.entries[i] ?? null, a, now, credentialStamp(a, env, paths.home), 'auto'),
      )
    },
  }
  return data
}

/** A broken config keeps the last good settings for fetching; the render shows the problem. */
function loadSafely(load: () => Settings, previous: Settings): Settings {
  try {
    return load()
  } catch (err) {
    debug(`watch: config: ${err instanceof Error ? err.message : String(err)}`)
    return previous
  }
}
