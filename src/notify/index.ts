import type { Settings } from '../config/accounts.js'
import type { Env } from '../config/paths.js'
import { debug } from '../debug.js'
import type { CacheEntry } from '../model.js'
import type { Account } from '../model.js'
import { paceWindows } from '../view.js'
import { deliverEvents } from './deliver.js'
import { detectEdges, type NotifyEvent } from './edges.js'

/**
 * Notifications for data that just arrived: called where a fetch lands (the detached refresh,
 * `watch`, a middle click) — never on the cached render path, which only reads. The baseline is
 * written before anything is delivered, so a crossing is announced at most once even when the
 * hook fails or hangs.
 */

export interface NotifyDeps {
  stateDir: string
  settings: Pick<Settings, 'thresholds' | 'notifications'>
  env: Env
  now: () => Date
}

export async function notifyNewData(
  fetched: { account: Account; entry: CacheEntry | null }[],
  deps: NotifyDeps,
): Promise<NotifyEvent[]> {
  const config = deps.settings.notifications
  if (!config?.enabled) return []
  // Loaded only here: a refresh without notifications has no use for it.
  const { readBaselines, writeBaselines } = await import('./baselines.js')
  const events: NotifyEvent[] = []
  for (const { account, entry } of fetched) {
    if (!entry?.snapshot) continue
    try {
      const stored = readBaselines(deps.stateDir, account.key)
      const fp = [stored?.fingerprint ?? null, entry.fingerprint]
      const sameLogin = stored !== null && (fp[0] === null || fp[1] === null || fp[0] === fp[1])
      const now = deps.now()
      const cooling = entry.cooldown ? entry.retryAt : null
      const paced = paceWindows(entry.snapshot, entry.burn, now.getTime(), account.refreshSeconds, cooling)
      const found = detectEdges(
        { key: account.key, provider: account.provider, label: account.label },
        entry.snapshot,
        sameLogin ? stored.windows : {},
        deps.settings.thresholds,
        now,
        Object.fromEntries(paced.map((w) => [w.id, w.exhaustsAt])),
      )
      writeBaselines(deps.stateDir, account.key, { fingerprint: entry.fingerprint, windows: found.baselines })
      events.push(...found.events)
    } catch (err) {
      // An unwritable state dir costs the notification, never the refresh.
      debug(`notifications for ${account.key}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  if (events.length > 0) await deliverEvents(events, config, deps.env)
  return events
}
