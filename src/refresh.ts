import { applyResult, type Hold, nextFetch, type RefreshMode } from './cache/freshness.js'
import { handOverLock, isLocked, LOCK_TTL_MS, lockProblem, releaseLock, tryLock } from './cache/lock.js'
import { credentialStamp } from './cache/stamp.js'
import { emptyEntry, readEntry, unwritableEntry, writeEntry } from './cache/store.js'
import type { Env } from './config/paths.js'
import { recordHistory } from './history/record.js'
import { debug } from './debug.js'
import { formatDuration } from './render/format.js'
import {
  type LogsSettings,
  localMeters,
  localMetersOf,
  withLocalMeters,
  withoutLocalMeters,
} from './logs/refresh-meters.js'
import type { CacheEntry, SpendMeter } from './model.js'
import { loadAdapter } from './providers/load-adapter.js'
import { fetchAccount } from './providers/result.js'
import type { Account, FetchResult } from './model.js'

/** Fetches accounts concurrently, each under its cross-process lock, and folds results into the cache. */

export interface RefreshDeps {
  env: Env
  home: string
  cacheDir: string
  now: () => Date
  timeoutMs: number
  /** Config `logs`: local usage-log meters for claude/codex/opencode accounts (absent: on, local zone). */
  logs?: LogsSettings | null
  /** Reads an account's local-log meters, calling `progress` as a long scan goes (default: localMeters). */
  scanLogs?: (account: Account, progress: () => void) => Promise<SpendMeter[] | null>
  /** `$XDG_STATE_HOME/quotabar`: new snapshots go to the history there, and burn rates come back. */
  stateDir?: string
}

/**
 * `busy`: another quotabar process held the lock and fetched meanwhile; `locked`: it held the lock
 * but nothing new arrived within the wait (so nobody can claim it was fetched).
 */
export type RefreshOutcome = 'fetched' | 'not-due' | 'busy' | 'locked'

export interface RefreshReport {
  account: Account
  outcome: RefreshOutcome
  entry: CacheEntry | null
  /** `not-due`: what held it (a 429 cooldown, the provider's floor, a backoff, the interval). */
  hold?: Hold
  /** `fetched` by `--force` inside the provider's floor: said so in the report. */
  forced?: boolean
}

export function newToken(): string {
  return `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function refreshAccounts(
  accounts: Account[],
  deps: RefreshDeps,
  options: { mode: RefreshMode; heldToken?: string; waitForBusyMs?: number },
): Promise<RefreshReport[]> {
  return Promise.all(accounts.map((a) => refreshOne(a, deps, options)))
}

async function refreshOne(
  account: Account,
  deps: RefreshDeps,
  options: { mode: RefreshMode; heldToken?: string; waitForBusyMs?: number },
): Promise<RefreshReport> {
  const token = options.heldToken ?? newToken()
  if (!options.heldToken && !tryLock(deps.cacheDir, account.key, token, LOCK_TTL_MS, deps.now().getTime())) {
    // Nobody holds it and still no lock: the cache dir cannot be written. Say so, ask nothing.
    const problem = isLocked(deps.cacheDir, account.key, deps.now().getTime())
      ? null
      : lockProblem(deps.cacheDir)
    if (problem)
      return { account, outcome: 'locked', entry: unwritableEntry(account.key, problem, deps.now()) }
    // Another process is fetching this account: wait for its result rather than asking twice.
    const before = readEntry(deps.cacheDir, account.key)?.lastAttemptAt ?? null
    const deadline = Date.now() + (options.waitForBusyMs ?? 0)
    while (Date.now() < deadline && isLocked(deps.cacheDir, account.key, deps.now().getTime()))
      await sleep(100)
    const entry = readEntry(deps.cacheDir, account.key)
    const fetched = (entry?.lastAttemptAt ?? null) !== before
    return { account, outcome: fetched ? 'busy' : 'locked', entry }
  }
  try {
    const prev = readEntry(deps.cacheDir, account.key) ?? emptyEntry(account.key)
    const stamp = credentialStamp(account, deps.env, deps.home)
    // Checked again under the lock: another process may have just refreshed it.
    const now = deps.now()
    const hold = nextFetch(prev, account, now, stamp, options.mode)
    if (hold) return { account, outcome: 'not-due', entry: prev, hold }
    const forced = options.mode === 'force' && nextFetch(prev, account, now, stamp, 'manual') !== null
    debug(`${account.key}: fetching`)
    // The logs are read while the request is in flight; they ride on whatever snapshot the
    // result leaves (src/logs/refresh-meters.ts explains why not through applyResult).
    const scanLogs = deps.scanLogs ?? ((a, progress) => localMeters(a, { ...deps, progress }))
    let scanned: SpendMeter[] | null | undefined
    const local = scanLogs(account, lockRenewer(deps, account.key, token)).then((m) => {
      scanned = m
      return m
    })
    const result = await fetchSafely(account, deps)
    debug(`${account.key}: ${result.ok ? 'ok' : `${result.error.kind}: ${result.error.message}`}`)
    const kept = applyResult(withoutLocalMeters(prev), result, account, deps.now(), stamp)
    const record = (e: CacheEntry, before: CacheEntry) =>
      deps.stateDir ? recordHistory(deps.stateDir, before, e, deps.now()) : e
    let before = prev
    if (scanned === undefined) {
      // A long scan (a cold read of a big history) never holds back the provider's numbers:
      // they are written now, with the meters of the last scan, and the new meters follow.
      before = record(withLocalMeters(kept, localMetersOf(prev), deps.now()), prev)
      writeEntry(deps.cacheDir, before)
    }
    const entry = record(
      withLocalMeters(kept, scanned === undefined ? await local : scanned, deps.now()),
      before,
    )
    writeEntry(deps.cacheDir, entry)
    return { account, outcome: 'fetched', entry, ...(forced ? { forced } : {}) }
  } finally {
    releaseLock(deps.cacheDir, account.key, token)
  }
}

/**
 * Keeps the account's lock alive while its refresh runs (a scan reports progress): a long scan
 * outliving the lock's TTL would let another process start the same refresh and scan again.
 */
function lockRenewer(deps: RefreshDeps, key: string, token: string): () => void {
  let last = deps.now().getTime()
  return () => {
    const now = deps.now().getTime()
    if (now - last < LOCK_TTL_MS / 5) return
    last = now
    handOverLock(deps.cacheDir, key, token, process.pid, LOCK_TTL_MS, now)
  }
}

/** An adapter bug must not take the cache down with it: it becomes this account's error. */
async function fetchSafely(account: Account, deps: RefreshDeps): Promise<FetchResult> {
  const adapter = await loadAdapter(account.provider)
  if (!adapter) {
    return {
      ok: false,
      fingerprint: null,
      error: { kind: 'config', message: `unknown provider ${account.provider}`, fix: null, httpStatus: null },
    }
  }
  try {
    return await fetchAccount(adapter, account, {
      env: deps.env,
      home: deps.home,
      now: deps.now,
      timeoutMs: deps.timeoutMs,
    })
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    return {
      ok: false,
      fingerprint: null,
      error: {
        kind: 'schema',
        message: `internal error: ${message.slice(0, 200)}`,
        fix: 'please report this',
        httpStatus: null,
      },
    }
  }
}

/** A floor can be seconds (the command provider's 10 s): "7s", not "<1m". */
const floorWords = (ms: number) =>
  ms < 59_500 ? `${Math.max(1, Math.round(ms / 1000))}s` : formatDuration(ms / 1000)

/**
 * What held an account, in words every command uses: when the next fetch is allowed, and why.
 * The floor is named because it is the rule a user meets when clicking "refresh" twice.
 */
export function holdText(hold: Hold, account: Account, now: Date): string {
  const left = formatDuration((Date.parse(hold.until) - now.getTime()) / 1000)
  switch (hold.why) {
    case 'cooldown':
      return `rate-limited by the provider; next try in ${left}`
    case 'floor':
      return `next fetch allowed in ${floorWords(Date.parse(hold.until) - now.getTime())} (quotabar asks ${account.provider} at most every ${floorWords(hold.floorSeconds * 1000)})`
    case 'backoff':
      return `next try in ${left} (backing off after a failure)`
    case 'interval':
      return `next fetch in ${left} (refresh interval ${formatDuration(account.refreshSeconds)})`
    default:
      return hold.why satisfies never
  }
}

/** The note a report gets for a fetch `--force` made inside the provider's floor. */
export const forcedText = (account: Account) =>
  `asked inside the ${formatDuration(account.minRefreshSeconds ?? 0)} floor (--force)`
