import type { AccountStatus } from '../model.js'
import type { AccountView } from '../view.js'

/**
 * `/health`: 200 while at least one account has numbers worth showing (fresh, or last good data
 * during a failure or a provider cooldown), 503 when none has: before the first fetch, when every
 * login is expired or broken, or when a cooldown holds accounts that have no numbers yet.
 * `status` says which: `ok` (all fresh), `degraded`, `down`.
 */

const USABLE: ReadonlySet<AccountStatus> = new Set(['ok', 'stale', 'cooldown'])

export function healthOf(accounts: AccountView[], generatedAt: string): { ok: boolean; body: unknown } {
  const usable = accounts.filter((a) => a.fetchedAt !== null && USABLE.has(a.status)).length
  const all = accounts.length > 0 && accounts.every((a) => a.status === 'ok')
  return {
    ok: usable > 0,
    body: {
      status: all ? 'ok' : usable > 0 ? 'degraded' : 'down',
      generatedAt,
      accounts: accounts.map((a) => ({
        key: a.key,
        status: a.status,
        fetchedAt: a.fetchedAt,
        ageSeconds: a.ageSeconds,
        error: a.error ? { kind: a.error.kind, message: a.error.message } : null,
        retryAt: a.retryAt,
      })),
    },
  }
}
