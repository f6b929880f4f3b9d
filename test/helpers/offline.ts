import { parseAccount } from '../../src/providers/fields.js'
import type { Account } from '../../src/providers/types.js'

/** For checks that must fail before any request: no key, no home, a baseUrl nothing listens on. */
export const offlineCtx = (env: Record<string, string> = {}) => ({
  env,
  home: '/nonexistent',
  now: () => new Date('2026-11-22T10:00:00Z'),
  timeoutMs: 500,
})

/** An account as the config loader makes it: read once through its provider's fields object. */
export const offlineAccount = (provider: string, extra: Record<string, unknown>): Account =>
  parseAccount({
    provider,
    id: 'x',
    key: `${provider}/x`,
    label: 'x',
    refreshSeconds: 900,
    // Never reached: a bad field is refused before any request.
    baseUrl: 'http://127.0.0.1:1',
    ...extra,
  })
