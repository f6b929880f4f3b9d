import { resolvePaths } from '../config/paths.js'
import { debug } from '../debug.js'
import type { CacheEntry, SpendMeter, UsageSnapshot } from '../model.js'
import type { Account } from '../model.js'
import { type LogDeps, logKindOf, scanAccount } from './local.js'
import { LOCAL_METER_IDS, usageMeters } from './meters.js'
import { Calendar, calendarFor } from './periods.js'
import { loadPricing } from './pricing.js'

/**
 * How a refresh puts local-log meters on the same account as its quota windows (src/refresh.ts).
 *
 * The cache keeps one snapshot per account, and applyResult (src/cache/freshness.ts) decides
 * which survives a failure by `fetchedAt`: the newer of the last good snapshot and the adapter's
 * fallback (Codex's own session-log numbers, dated by their log line). Local meters are fresh at
 * every refresh, so dating a snapshot "now" because of them would let a windowless local-only
 * snapshot beat the last good API numbers or Codex's fallback, and would make old windows look
 * new. So the meters stay out of that decision: they are taken off the previous entry before
 * applyResult (a snapshot that held nothing else becomes "none"), and put back on whatever it
 * kept, leaving its `fetchedAt` (the age of the API numbers) alone. Only when no snapshot
 * survives (never fetched, or a new login) do they come alone, in a snapshot dated now — still
 * with the failure's error, so the account reads "stale" with its reason.
 */

export interface LogsSettings {
  enabled?: boolean
  timezone?: string
}

const isLocalMeter = (s: SpendMeter) => LOCAL_METER_IDS.has(s.id)
const logBacked = (entry: CacheEntry) => logKindOf(entry.key.slice(0, entry.key.indexOf('/'))) !== null

export function withoutLocalMeters(entry: CacheEntry): CacheEntry {
  const snap = entry.snapshot
  if (!snap || !logBacked(entry) || !snap.spend.some(isLocalMeter)) return entry
  const spend = snap.spend.filter((s) => !isLocalMeter(s))
  const empty =
    snap.windows.length === 0 &&
    spend.length === 0 &&
    !snap.balances?.length &&
    snap.plan === null &&
    snap.email === null
  return { ...entry, snapshot: empty ? null : { ...snap, spend } }
}

/** The local meters an entry carries, or null. */
export function localMetersOf(entry: CacheEntry): SpendMeter[] | null {
  const meters = entry.snapshot?.spend.filter(isLocalMeter) ?? []
  return meters.length > 0 && logBacked(entry) ? meters : null
}

export function withLocalMeters(entry: CacheEntry, meters: SpendMeter[] | null, now: Date): CacheEntry {
  if (!meters) return entry
  const snap: UsageSnapshot = entry.snapshot ?? {
    fetchedAt: now.toISOString(),
    plan: null,
    email: null,
    windows: [],
    spend: [],
  }
  return {
    ...entry,
    snapshot: { ...snap, spend: [...snap.spend.filter((s) => !isLocalMeter(s)), ...meters] },
  }
}

const DAY_MS = 86_400_000

/**
 * The account's meters from its local logs, or null (not a log-backed provider, logs disabled,
 * no logs on this machine, or a failure — which is logged with DEBUG=quotabar, never thrown).
 */
export async function localMeters(
  account: Account,
  deps: {
    env: LogDeps['env']
    home: string
    cacheDir: string
    now: () => Date
    logs?: LogsSettings | null
    /** Called as a long scan goes (the refresh renews its lock). */
    progress?: () => void
  },
): Promise<SpendMeter[] | null> {
  if (!logKindOf(account.provider) || deps.logs?.enabled === false) return null
  try {
    let cal: Calendar
    try {
      cal = calendarFor(deps.logs?.timezone)
    } catch (err) {
      debug(`${account.key}: ${err instanceof Error ? err.message : err}; using the local time zone`)
      cal = new Calendar(null)
    }
    const now = deps.now()
    const pricing = loadPricing(resolvePaths(deps.env).stateDir)
    // The week's files, and two days before it for the 5-hour block that may span midnight Sunday.
    const since = cal.startOfWeek(now.getTime()) - 2 * DAY_MS
    const usage = await scanAccount(account, { ...deps, now, pricing }, since, deps.progress)
    return usage ? usageMeters(usage, now.getTime(), cal) : null
  } catch (err) {
    debug(`${account.key}: local logs failed: ${err instanceof Error ? err.stack : err}`)
    return null
  }
}
