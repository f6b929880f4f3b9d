import type { Env } from '../config/paths.js'
import type { Account, AccountConfig, FetchResult } from '../model.js'

/** Providers read the model types of their interface from here too. */
export type { Account, AccountConfig, FetchResult }

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
  /** Why this account cannot work as configured (a required field missing), beyond its login files. */
  problems?(account: AccountConfig, env: Env): string[]
}

/** Everything an adapter may touch, injected so tests control time, env and the network. */
export interface FetchContext {
  env: Env
  home: string
  now: () => Date
  timeoutMs: number
}

/** The heavy half of a provider: reads credentials and fetches, loaded only by a refresh. */
export interface ProviderAdapter {
  id: string
  fetchUsage(account: Account, ctx: FetchContext): Promise<FetchResult>
}
