import { realpathSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { applyResult } from '../cache/freshness.js'
import { emptyEntry } from '../cache/store.js'
import type { Env } from '../config/paths.js'
import type { CacheEntry, UsageWindow } from '../model.js'
import { claudeConfigDir } from '../providers/claude/descriptor.js'
import type { Account } from '../model.js'

/**
 * What the Claude Code status-line hook does to the cache: the windows Claude Code just received
 * from Anthropic become a fresh snapshot of the account that owns that config dir, without a
 * request of our own.
 */

const canonical = (dir: string) => {
  const abs = resolve(dir)
  try {
    return realpathSync(abs)
  } catch {
    return abs
  }
}

/** The Claude Code config dir the hook runs for: `CLAUDE_CONFIG_DIR`, default `~/.claude`. */
export function hookConfigDir(env: Env, home: string): string {
  return canonical(env.CLAUDE_CONFIG_DIR || join(home, '.claude'))
}

/**
 * Claude accounts whose login lives in `dir`. An account without `configDir` means the default
 * dir as the bar sees it; the hook inherits Claude Code's `CLAUDE_CONFIG_DIR`, which the bar
 * usually lacks, so such accounts count as `~/.claude` (a miss is harmless: the bar then fetches
 * on its own; a wrong match would show one login's numbers under another).
 */
export function accountsForDir(accounts: Account[], dir: string, env: Env, home: string): Account[] {
  const barEnv = { ...env, CLAUDE_CONFIG_DIR: undefined }
  return accounts.filter(
    (a) => a.provider === 'claude' && canonical(claudeConfigDir(a, barEnv, home)) === dir,
  )
}

export interface HookLogin {
  fingerprint: string | null
  plan: string | null
  email: string | null
}

/** Same login (or unknown on either side): the old snapshot's plan, email, spend and other windows stay. */
const sameLogin = (prev: CacheEntry, fp: string | null) =>
  prev.fingerprint === null || fp === null || prev.fingerprint === fp

/** Hook windows replace the ones with the same id in place; new ones go first, as the adapter orders them. */
function mergeWindows(old: UsageWindow[], fresh: UsageWindow[]): UsageWindow[] {
  const byId = new Map(fresh.map((w) => [w.id, w]))
  const kept = old.map((w) => byId.get(w.id) ?? w)
  return [...fresh.filter((w) => !old.some((o) => o.id === w.id)), ...kept]
}

/**
 * The entry after the hook, through applyResult like any successful fetch (status ok, error and
 * backoff cleared, not due again for the account's interval). One exception: a 429 cooldown
 * still running keeps holding off our own requests (as a plain hold, so the status reads ok),
 * and the strike count stays, so the next 429 still escalates.
 */
export function applyHookWindows(
  prev: CacheEntry | null,
  account: Account,
  windows: UsageWindow[],
  login: HookLogin,
  now: Date,
  stamp: string,
): CacheEntry {
  const before = prev ?? emptyEntry(account.key)
  const base = sameLogin(before, login.fingerprint) ? before.snapshot : null
  const snapshot = {
    fetchedAt: now.toISOString(),
    plan: login.plan ?? base?.plan ?? null,
    email: login.email ?? base?.email ?? null,
    windows: mergeWindows(base?.windows ?? [], windows),
    spend: base?.spend ?? [],
    ...(base?.balances ? { balances: base.balances } : {}),
  }
  const entry = applyResult(
    before,
    { ok: true, snapshot, fingerprint: login.fingerprint },
    account,
    now,
    stamp,
  )
  const cooling = before.cooldown && before.retryAt !== null && Date.parse(before.retryAt) > now.getTime()
  return cooling ? { ...entry, retryAt: before.retryAt, rateLimitStrikes: before.rateLimitStrikes } : entry
}

/** Two spellings of one reset (the API's microseconds, Claude Code's whole seconds) are one window. */
const SAME_RESET_MS = 90_000

/**
 * Whether a window from Claude Code tells the cache something new. Claude Code redraws its status
 * line from the last answer it got, which can be older than quotabar's own fetch (an idle session
 * redrawn after a mode switch). Within one window usage only grows, and a later window starts
 * after an earlier one ends, so older numbers are recognisable: they never replace newer ones,
 * and numbers the cache already has are not news either (no write, no extra freshness).
 */
export function isNews(w: UsageWindow, cached: UsageWindow | undefined): boolean {
  if (!cached) return true
  const a = w.resetsAt ? Date.parse(w.resetsAt) : Number.NaN
  const b = cached.resetsAt ? Date.parse(cached.resetsAt) : Number.NaN
  if (Number.isNaN(a) || Number.isNaN(b))
    return w.usedPercent !== cached.usedPercent || w.resetsAt !== cached.resetsAt
  if (Math.abs(a - b) > SAME_RESET_MS) return a > b
  return w.usedPercent > cached.usedPercent
}

/** The hook windows worth writing: all of them for a new login or an empty cache, else the news. */
export function newsFor(prev: CacheEntry | null, windows: UsageWindow[], login: HookLogin): UsageWindow[] {
  const base = prev && sameLogin(prev, login.fingerprint) ? prev.snapshot : null
  if (!base) return windows
  return windows.filter((w) =>
    isNews(
      w,
      base.windows.find((c) => c.id === w.id),
    ),
  )
}
