/**
 * Provider-neutral data: what adapters produce, what the cache stores and what renderers read.
 * Renderers never see a provider's raw fields.
 */

/** One quota window. `usedPercent` is 0–100 (above 100 only when the provider reports overage). */
export interface UsageWindow {
  /** Stable id: `session`, `weekly`, `weekly:<model>`, `monthly`, `daily`, `premium`, `model:<id>`, ... */
  id: string
  label: string
  usedPercent: number
  /** ISO time the window resets, or null when the provider gave none (e.g. not started yet). */
  resetsAt: string | null
  windowSeconds: number | null
}

/** Money spent against an optional limit, in one currency (major units, e.g. 7.63 EUR). */
export interface SpendMeter {
  id: string
  label: string
  used: number
  /** A provider cap or the account's own `budget`; with a limit the meter can drive the bar. */
  limit: number | null
  currency: string
  /** `block` is the current 5-hour block (local usage logs). */
  period: 'day' | 'week' | 'month' | 'block' | 'total'
  /** Token and request counts behind the amount, when the source reports them. */
  tokens?: number | null
  requests?: number | null
  /** True when the amount is an estimate (priced locally from token counts). */
  estimated?: boolean
}

/**
 * What is left on an account: money on a prepaid account (DeepSeek, Moonshot, OpenRouter credits,
 * ...) when `currency` is an ISO code, else a count of that unit (Codex's banked `resets`).
 */
export interface BalanceMeter {
  id: string
  label: string
  amount: number
  currency: string
  /** When what is left expires (the soonest, if several parts do); absent or null: not known. */
  expiresAt?: string | null
}

export interface UsageSnapshot {
  fetchedAt: string
  plan: string | null
  email: string | null
  windows: UsageWindow[]
  spend: SpendMeter[]
  /** Absent in snapshots written before balances existed: read as []. */
  balances?: BalanceMeter[]
  /** Parts of the provider's answer left out because they did not parse; absent when none. */
  notes?: string[]
}

export type ErrorKind =
  | 'auth' // login expired or revoked: the fix is the provider's own tool
  | 'forbidden'
  | 'rate-limited'
  | 'http'
  | 'network'
  | 'timeout'
  | 'schema'
  | 'credentials' // missing or unreadable login
  | 'config'

/** What a failed refresh leaves behind. Never contains a secret. */
export interface ErrorInfo {
  kind: ErrorKind
  message: string
  fix: string | null
  httpStatus: number | null
}

export type AccountStatus = 'ok' | 'stale' | 'cooldown' | 'expired' | 'error' | 'pending'

/** The per-account cache file (design §5). */
export interface CacheEntry {
  v: 1
  key: string
  /** Short hash identifying the login (never the secret); a change drops old data. */
  fingerprint: string | null
  /** mtime/size of the credential files at the last attempt; a change makes the account due. */
  credentialStamp: string | null
  /** Last good snapshot: failures never erase it. */
  snapshot: UsageSnapshot | null
  lastAttemptAt: string | null
  error: ErrorInfo | null
  /** No automatic attempt before this time. */
  retryAt: string | null
  /** True when retryAt comes from the provider (429): even a manual refresh waits unless forced. */
  cooldown: boolean
  failures: number
  rateLimitStrikes: number
  /**
   * Per window: the recent burn rate and last day's usage, read from the history by the refresh
   * (src/history/burn.ts), so the render can forecast without reading history files. Absent in
   * entries written before history existed.
   */
  burn?: WindowBurn[]
}

/** The refresh's reading of one window's history: what the render needs for pace and forecast. */
export interface WindowBurn {
  id: string
  /** The cycle the rate belongs to (its `resetsAt`): a window in another cycle gets no forecast. */
  resetsAt: string | null
  /** Time of the last point the rate includes. */
  at: string
  /**
   * Percent of the window per hour, weighted toward recent points (time constant `tauSeconds`);
   * null when the cycle's history is too thin to say.
   */
  percentPerHour: number | null
  /** How much recent time the rate rests on (sum of weights, seconds): idle time after `at` dilutes it. */
  weightSeconds: number
  tauSeconds: number
  /** The last day's usage in fixed buckets ending at `spark.end`; null = no point in that bucket (a gap). */
  spark: Spark | null
}

export interface Spark {
  end: string
  bucketSeconds: number
  values: (number | null)[]
}

export type Level = 'ok' | 'warning' | 'critical' | 'unknown'

export interface Thresholds {
  warning: number
  critical: number
  /** An account projected to run out before its reset is at least `warning` (absent: on). */
  pace?: boolean
}

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
  /**
   * Set when the account was read (src/providers/fields.ts parseAccount): its own fields break its
   * provider's rule, so its refresh reports this instead of fetching. Never written to config.json.
   */
  invalid?: ErrorInfo
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

/** What one fetch of one account gives: failures are data, with what the cache should keep. */
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

/** A wrong command line: exit 2. */
export class UsageError extends Error {}
/** A command that could not do its work (a refused change, a missing file): exit 1. */
export class CommandError extends Error {}
