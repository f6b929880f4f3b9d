import { isDue, type RefreshMode } from '../cache/freshness.js'
import { credentialStamp } from '../cache/stamp.js'
import { readEntry } from '../cache/store.js'
import { busyWaitMs, type CommandContext, refreshDeps } from '../context.js'
import type { CacheEntry } from '../model.js'
import type { Account } from '../model.js'
import { type RefreshReport, refreshAccounts } from '../refresh.js'
import { redactView } from '../render/format.js'
import { type AccountView, buildAccountView } from '../view.js'
import { isAccountActive } from './active.js'
import { markViews } from './marks.js'

/** The human commands' shared view of the cache: the bar's view, plus gh's active user. */

export function loadViews(ctx: CommandContext, accounts: Account[]): AccountView[] {
  const now = ctx.now()
  const views = accounts.map((a) =>
    buildAccountView(a, readEntry(ctx.paths.cacheDir, a.key), now, ctx.settings.thresholds),
  )
  const marked = markViews(views, accounts, ctx.env, ctx.paths.home, now.getTime(), isAccountActive)
  if (!ctx.settings.redact) return marked
  // Config `privacy.redact`: emails as `a…@domain` here too (a terminal gets screen-shared).
  const view = {
    generatedAt: now.toISOString(),
    accounts: marked,
    thresholds: ctx.settings.thresholds,
    problem: null,
  }
  return redactView(view).accounts
}

/**
 * Fetches in-process, each account under its lock. `auto` asks only the accounts that are due
 * (checked here first, so a watch loop polling every second takes no lock for the others).
 */
export async function refreshNow(
  ctx: CommandContext,
  accounts: Account[],
  mode: RefreshMode,
): Promise<RefreshReport[]> {
  const due = mode === 'auto' ? dueAccounts(ctx, accounts) : accounts
  if (due.length === 0) return []
  return refreshAccounts(due, refreshDeps(ctx), { mode, waitForBusyMs: busyWaitMs(ctx) })
}

export function entryOf(ctx: CommandContext, key: string): CacheEntry | null {
  return readEntry(ctx.paths.cacheDir, key)
}

/** The accounts a render would refresh now (interval passed, login changed, never fetched). */
export function dueAccounts(ctx: CommandContext, accounts: Account[]): Account[] {
  const now = ctx.now()
  return accounts.filter((a) =>
    isDue(readEntry(ctx.paths.cacheDir, a.key), a, now, credentialStamp(a, ctx.env, ctx.paths.home), 'auto'),
  )
}
