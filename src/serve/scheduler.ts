import { isDue } from '../cache/freshness.js'
import { credentialStamp } from '../cache/stamp.js'
import { readEntry } from '../cache/store.js'
import { debug } from '../debug.js'
import type { Account } from '../model.js'
import { type RefreshDeps, type RefreshReport, refreshAccounts } from '../refresh.js'

/**
 * `quotabar serve`'s background refresh: every tick, each account that a bar would find due is
 * fetched through the same refreshAccounts as `quotabar __refresh`, so the cache, the locks, the
 * backoff and a provider's 429 cooldown are shared with every other quotabar process on the
 * machine. A slow account never holds back the others: each one is in flight on its own.
 */

export interface Plan {
  accounts: Account[]
  deps: RefreshDeps
  /** What follows a fetch, as after the bars' detached refresh: notifications, bar nudges. */
  after?: (reports: RefreshReport[]) => Promise<void>
}

export interface Scheduler {
  /** Stops ticking and waits (bounded) for fetches in flight, so no lock is left behind. */
  stop(graceMs: number): Promise<void>
}

export function startScheduler(plan: () => Plan, tickMs: number, log: (line: string) => void): Scheduler {
  const inFlight = new Map<string, Promise<void>>()
  let ticks = 0
  const tick = () => {
    ticks += 1
    let current: Plan
    try {
      current = plan()
    } catch (err) {
      log(`cannot plan a refresh: ${err instanceof Error ? err.message : String(err)}`)
      return
    }
    const { accounts, deps } = current
    const now = deps.now()
    let started = 0
    for (const a of accounts) {
      if (inFlight.has(a.key)) continue
      const stamp = credentialStamp(a, deps.env, deps.home)
      if (!isDue(readEntry(deps.cacheDir, a.key), a, now, stamp, 'auto')) continue
      const run = refreshAccounts([a], deps, { mode: 'auto' })
        .then(async (reports) => {
          const e = reports[0]?.entry
          if (reports[0]?.outcome === 'fetched' && e?.error)
            log(`${a.key}: ${e.error.kind}: ${e.error.message}`)
          await current.after?.(reports)
        })
        .catch((err) => log(`${a.key}: refresh failed: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => inFlight.delete(a.key))
      inFlight.set(a.key, run)
      started += 1
    }
    // A line per tick under DEBUG=quotabar: tests wait for it to prove a tick passed without a fetch.
    debug(`serve: tick ${ticks}: ${started} fetch(es) started, ${inFlight.size} in flight`)
  }
  tick()
  const timer = setInterval(tick, tickMs)
  return {
    async stop(graceMs) {
      clearInterval(timer)
      let expire: NodeJS.Timeout | undefined
      const grace = new Promise<void>((r) => {
        expire = setTimeout(r, graceMs)
      })
      await Promise.race([Promise.all(inFlight.values()), grace])
      clearTimeout(expire)
    },
  }
}
