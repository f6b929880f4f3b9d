import type { Env } from '../config/paths.js'
import type { ErrorInfo, UsageSnapshot } from '../model.js'

/** One account as the config file (or discovery) describes it; provider-specific keys ride along. */
export interface AccountConfig {
  provider: string
  id: string
  label?: string
  enabled?: boolean
  baseUrl?: string
  configDir?: string
  apiKeyEnv?: string
  apiKeyCommand?: string
  refreshSeconds?: number
  [extra: string]: unknown
}

/** An account ready to use: key, label and refresh interval resolved. */
export interface Account extends AccountConfig {
  key: string
  label: string
  refreshSeconds: number
  /** The provider's floor (ProviderDescriptor.minRefreshSeconds); refreshSeconds when absent. */
  minRefreshSeconds?: number
}

/**
 * The light half of a provider: plain data and path arithmetic only, because it runs on the
 * cached render path. Nothing here may import zod, undici or do I/O beyond what it is handed.
 */
export interface ProviderDescriptor {
  id: string
  name: string
  /** The provider's own CLI, named in "run `claude` to log in again" messages. */
  loginCommand: string | null
  defaultRefreshSeconds: number
  /** Polling faster than this gets users rate-limited; configured values are raised to it. */
  minRefreshSeconds: number
  /** Files whose change (mtime/size) means the login may have changed. */
  credentialFiles(account: AccountConfig, env: Env, home: string): string[]
  /** Accounts to show when there is no config file at all (`exists`: a stat, nothing more). */
  defaultAccounts(env: Env, home: string, exists: (path: string) => boolean): AccountConfig[]
  /**
   * True when a new session of the provider's own CLI, started from this environment, would use
   * this account's login (its one default login: `~/.claude` unless CLAUDE_CONFIG_DIR, ...). Path
   * arithmetic only; a check that must read a file lives in src/accounts/active.ts.
   */
  isActive?(account: AccountConfig, env: Env, home: string): boolean
}

/** Everything an adapter may touch, injected so tests control time, env and the network. */
export interface FetchContext {
  env: Env
  home: string
  now: () => Date
  timeoutMs: number
}

export type FetchResult =
  | { ok: true; snapshot: UsageSnapshot; fingerprint: string | null }
  | {
      ok: false
      error: ErrorInfo
      fingerprint: string | null
      retryAfterSeconds?: number | null
      /** Older numbers from a zero-network source (e.g. Codex session logs), dated by their own time. */
      fallback?: UsageSnapshot | null
    }

/** The heavy half of a provider: reads credentials and fetches, loaded only by a refresh. */
export interface ProviderAdapter {
  id: string
  fetchUsage(account: Account, ctx: FetchContext): Promise<FetchResult>
}
